namespace Control.Viewer;

/// <summary>
/// Everything the CLI touches outside itself: standard streams, environment, clock and the HTTP stack.
/// Tests build one with string writers and a fixed environment instead of mutating the process's.
/// </summary>
internal sealed class CliContext
{
    public required TextReader In { get; init; }

    public required TextWriter Out { get; init; }

    /// <summary>Prompts, hints and errors: standard output stays clean for <c>--json</c> and pipes.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when a person types at a terminal: passwords are then read key by key without echo.</summary>
    public bool InputIsTerminal { get; init; }

    public required Func<string, string?> Environment { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<HttpMessageHandler> CreateHttpHandler { get; init; } = () => new SocketsHttpHandler();

    /// <summary>Raw standard output for bytes from a session (a program's output is not necessarily text).</summary>
    public Func<Stream> OpenStandardOutput { get; init; } = Console.OpenStandardOutput;

    public Func<Stream> OpenStandardError { get; init; } = Console.OpenStandardError;

    /// <summary>Raw standard input: a shell's keystrokes.</summary>
    public Func<Stream> OpenStandardInput { get; init; } = Console.OpenStandardInput;

    public static CliContext FromConsole() => new()
    {
        In = Console.In,
        Out = Console.Out,
        Error = Console.Error,
        InputIsTerminal = !Console.IsInputRedirected,
        Environment = System.Environment.GetEnvironmentVariable,
    };
}
