using System.CommandLine;
using System.CommandLine.Parsing;
using Control.Viewer.Infrastructure;

namespace Control.Viewer;

/// <summary>Options shared by many commands, each defined once so help texts stay the same everywhere.</summary>
internal sealed class GlobalOptions
{
    public Option<Uri?> Server { get; } = new("--server")
    {
        Description = "URL of the Control API, e.g. http://127.0.0.1:8080 (after login it is remembered; this overrides it)",
        HelpName = "URL",
        Recursive = true,
        CustomParser = ParseServer,
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write machine-readable JSON to standard output instead of text",
    };

    public static Option<string> Reason(string what) => new("--reason")
    {
        Description = $"Why you {what}; recorded in the audit trail",
        HelpName = "TEXT",
        Required = true,
    };

    public static Option<long?> ExpectedVersion(string subject = "the operator", string source = "'control operators list'") => new("--expected-version")
    {
        Description = $"Refuse the change (409) unless {subject} is still at this version (see {source})",
        HelpName = "N",
        Validators = { r => { if (r.GetValueOrDefault<long?>() is < 1) r.AddError("--expected-version is a positive version number."); } },
    };

    /// <summary>For commands that run before anything is stored (setup, activate): <c>--server</c> is then required.</summary>
    public void RequireServer(Command command) => command.Validators.Add(result =>
    {
        if (result.GetResult(Server) is null)
        {
            result.AddError("Option '--server' is required: the URL of the Control API, e.g. http://127.0.0.1:8080.");
        }
    });

    private static Uri? ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        result.AddError($"--server must be an http:// or https:// URL such as http://127.0.0.1:8080, not '{text}'.");
        return null;
    }
}
