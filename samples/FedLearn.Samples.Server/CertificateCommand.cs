using System.Globalization;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Samples.Server;

/// <summary>
/// <c>certs --out certs --clients 3 [--client-ids a,b,c | --client-prefix client] [--server-names fl.example.org] [--days 30]</c>:
/// creates a federation CA, a server certificate and one certificate per client (ids <c>&lt;prefix&gt;-0</c> … unless named;
/// <c>--client-prefix fedlearn-client</c> names them as the pods of the Kubernetes clients' StatefulSet).
/// </summary>
internal static class CertificateCommand
{
    public static int Run(string[] args)
    {
        string output = "certs";
        int clients = 3;
        string[]? ids = null;
        string prefix = "client";
        string[] serverNames = ["localhost"];
        double days = 30;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--out": output = value; break;
                case "--clients": clients = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--client-ids": ids = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--client-prefix": prefix = value; break;
                case "--server-names": serverNames = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--days": days = double.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; use --out, --clients, --client-ids, --client-prefix, --server-names, --days.");
            }

            i++;
        }

        ids ??= Enumerable.Range(0, clients).Select(i => $"{prefix}-{i}").ToArray();
        DevelopmentCertificates set = FederationCertificates.CreateDevelopmentSet(output, serverNames, ids, TimeSpan.FromDays(days));
        Console.WriteLine($"CA:      {set.CaCertificatePath} (key {set.CaKeyPath}: keep it off servers and clients)");
        Console.WriteLine($"server:  {set.ServerCertificatePath}, {set.ServerKeyPath} for {string.Join(", ", serverNames)}");
        foreach (string id in ids)
        {
            Console.WriteLine($"client:  {set.ClientCertificatePath(id)}, {set.ClientKeyPath(id)} (id {id})");
        }

        return 0;
    }
}
