namespace FedLearn.Torch;

/// <summary>The client optimizer <see cref="TorchTrainer"/> uses for local training.</summary>
public enum TorchOptimizerKind
{
    /// <summary>Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay.</summary>
    Sgd = 0,

    /// <summary>Adam (Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization"), with optional L2 weight decay.</summary>
    Adam = 1,
}
