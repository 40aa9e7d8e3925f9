namespace FedLearn.Samples.Shared;

/// <summary>Maps the simulation-style options (<c>--rounds 5</c>) to configuration keys of one section (<c>FedLearn:Server</c> or <c>FedLearn:Client</c>); shared by the server and client apps.</summary>
internal static class CommandLineSwitches
{
    public static Dictionary<string, string> For(string section, IEnumerable<string> names)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            map["--" + Kebab(name)] = $"{section}:{name}";
        }

        return map;
    }

    public static IEnumerable<string> PropertiesOf<T>() => typeof(T).GetProperties().Select(p => p.Name);

    private static string Kebab(string name)
    {
        var builder = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
