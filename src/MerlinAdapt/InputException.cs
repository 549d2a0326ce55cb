namespace MerlinAdapt;

/// <summary>
/// A problem with the user's input that the user can fix: which file (or option) and what is wrong with it.
/// The command line turns it into exit code 1 and one line; every other exception is a bug (exit code 2).
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string? path, string problem, Exception? inner = null)
        : base(path is null ? problem : $"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file, folder or option at fault; null when the problem is not tied to one.</summary>
    public string? Path { get; }

    public string Problem { get; }
}
