namespace MerlinAdapt.Analysis;

/// <summary>How <see cref="Tsne"/> computes its gradient.</summary>
public enum TsneMethod
{
    /// <summary>Exact up to <see cref="Tsne.ExactLimit"/> points, Barnes–Hut above.</summary>
    Auto,

    /// <summary>All n² affinities, dense tensors (van der Maaten &amp; Hinton 2008): O(n²) time and memory per iteration.</summary>
    Exact,

    /// <summary>
    /// k-nearest-neighbour input affinities and a quadtree for the repulsive forces (van der Maaten 2014, "Accelerating
    /// t-SNE using tree-based algorithms"): O(n log n) per iteration.
    /// </summary>
    BarnesHut,
}
