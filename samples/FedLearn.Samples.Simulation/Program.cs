using FedLearn.Samples.Shared;
using FedLearn.Samples.Simulation;

return await CommandLineHost.RunAsync(args, SimulationCommand.Create(), SimulationCommand.Bind, SimulationRunner.RunAsync);
