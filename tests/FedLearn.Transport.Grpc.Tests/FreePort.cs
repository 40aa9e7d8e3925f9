namespace FedLearn.Transport.Grpc.Tests;

/// <summary>A loopback TCP port nothing listens on at the moment of the call.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
