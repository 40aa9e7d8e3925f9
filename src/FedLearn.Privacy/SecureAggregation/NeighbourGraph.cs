using System.Security.Cryptography;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// The SecAgg+ communication graph: a random k-regular graph on the round's clients. The clients are put on a ring in a
/// random order and each is joined to its k/2 nearest on either side (k even); with k = n − 1 the graph is complete.
/// The server draws it from <see cref="RandomNumberGenerator"/>.
/// </summary>
internal sealed class NeighbourGraph
{
    private readonly int[][] _neighbours;

    private NeighbourGraph(int[][] neighbours) => _neighbours = neighbours;

    /// <summary>Number of vertices.</summary>
    public int Count => _neighbours.Length;

    /// <summary>The neighbours of vertex <paramref name="vertex"/> (not itself), ascending.</summary>
    public IReadOnlyList<int> NeighboursOf(int vertex) => _neighbours[vertex];

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are joined.</summary>
    public bool AreNeighbours(int a, int b) => Array.BinarySearch(_neighbours[a], b) >= 0;

    /// <summary>Draws a graph on <paramref name="vertices"/> vertices where each has <paramref name="degree"/> neighbours.</summary>
    /// <param name="vertices">Number of clients.</param>
    /// <param name="degree">Neighbours per client: n − 1 (complete graph) or an even number below it.</param>
    public static NeighbourGraph CreateRandom(int vertices, int degree)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertices);
        if (degree < 0 || degree > Math.Max(0, vertices - 1) || (degree != vertices - 1 && degree % 2 != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(degree), $"a regular graph on {vertices} vertices needs an even degree below {vertices - 1} or exactly {vertices - 1}, not {degree}.");
        }

        int[] ring = Enumerable.Range(0, vertices).ToArray();
        RandomNumberGenerator.Shuffle(ring.AsSpan());
        var sets = new List<int>[vertices];
        for (int v = 0; v < vertices; v++)
        {
            sets[v] = new List<int>(degree);
        }

        if (degree == vertices - 1)
        {
            for (int v = 0; v < vertices; v++)
            {
                sets[v].AddRange(Enumerable.Range(0, vertices).Where(u => u != v));
            }
        }
        else
        {
            for (int position = 0; position < vertices; position++)
            {
                for (int step = 1; step <= degree / 2; step++)
                {
                    int a = ring[position];
                    int b = ring[(position + step) % vertices];
                    sets[a].Add(b);
                    sets[b].Add(a);
                }
            }
        }

        return new NeighbourGraph(sets.Select(s => s.Order().ToArray()).ToArray());
    }
}
