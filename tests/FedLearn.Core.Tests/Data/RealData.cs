using FedLearn.Data;

namespace FedLearn.Core.Tests.Data;

/// <summary>Where the real Fashion-MNIST files are (installed by the Debian package dataset-fashion-mnist).</summary>
internal static class RealData
{
    public static string Folder => FashionMnist.DefaultDataDirectory;

    public static string File(string name) => Path.Combine(Folder, name);
}
