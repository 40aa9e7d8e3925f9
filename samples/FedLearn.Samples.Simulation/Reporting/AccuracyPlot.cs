using ScottPlot;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>Draws accuracy and loss per round (centralized test set) into accuracy.png.</summary>
internal static class AccuracyPlot
{
    public static void Write(SimulationSummary summary, string path)
    {
        RoundRow[] evaluated = summary.Rounds.Where(r => r.Accuracy is not null && r.Loss is not null).ToArray();
        var plot = new Plot();
        plot.Title($"FedLearn simulation: {summary.Config.Model}, {summary.Config.Clients} clients, {summary.Config.Partition}");
        plot.XLabel("round");
        plot.YLabel("test accuracy");
        plot.Axes.Right.Label.Text = "test loss";
        if (evaluated.Length > 0)
        {
            double[] rounds = evaluated.Select(r => (double)r.Round).ToArray();
            var accuracy = plot.Add.Scatter(rounds, evaluated.Select(r => r.Accuracy!.Value).ToArray());
            accuracy.LegendText = "accuracy";
            var loss = plot.Add.Scatter(rounds, evaluated.Select(r => r.Loss!.Value).ToArray());
            loss.LegendText = "loss";
            loss.Axes.YAxis = plot.Axes.Right;
            plot.ShowLegend(Alignment.MiddleRight);
        }

        plot.SavePng(path, 900, 540);
    }
}
