using Control.Http;

namespace Control.Viewer.Infrastructure;

/// <summary>
/// A failure the user can act on: its text is already phrased for them (what went wrong, what to do next), and it
/// carries the exit code. The top level prints it and exits; nothing else in the CLI catches it.
/// </summary>
internal sealed class CliException : Exception
{
    public const int FailureExitCode = 1;
    public const int UsageExitCode = 2;

    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private CliException(string message, int exitCode, CliFailureKind kind = CliFailureKind.Failure)
        : base(message)
    {
        ExitCode = exitCode;
        Kind = kind;
    }

    public int ExitCode { get; } = FailureExitCode;

    public CliFailureKind Kind { get; }

    public static CliException Failure(string message) => new("error: " + message, FailureExitCode);

    /// <summary>Wrong or missing arguments that the parser could not see (e.g. depending on stored credentials).</summary>
    public static CliException Usage(string message, string commandPath) =>
        new($"error: {message}{System.Environment.NewLine}Run '{commandPath} --help' for usage.", UsageExitCode, CliFailureKind.Usage);

    public static CliException FromProblem(ApiProblem problem, IReadOnlyDictionary<string, string>? fieldNames = null) =>
        new(problem.Render(fieldNames), FailureExitCode, CliFailureKind.Refused);

    public static CliException NotSignedIn(LoginHint hint, string? why = null) =>
        new(why is null ? $"not signed in: run {hint}" : $"not signed in: {why}; run {hint}", FailureExitCode, CliFailureKind.NotSignedIn);

    public static CliException Unreachable(Uri server, string message) =>
        new($"error: cannot reach the server at {server.ToString().TrimEnd('/')}: {message}; is it running? (ops/up)", FailureExitCode, CliFailureKind.Unreachable);
}

internal enum CliFailureKind
{
    Failure,
    Usage,
    Refused,
    NotSignedIn,
    Unreachable,
}

/// <summary>The exact <c>control login</c> command to run, filled in with whatever is known.</summary>
internal sealed record LoginHint(Uri? Server, string? Organization, string? Username)
{
    public override string ToString() =>
        $"control login --server {Server?.ToString().TrimEnd('/') ?? "URL"} --org {Organization ?? "SLUG"} --user {Username ?? "NAME"}";
}
