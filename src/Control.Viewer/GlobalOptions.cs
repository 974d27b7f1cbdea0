using System.CommandLine;
using System.CommandLine.Parsing;
using Control.Domain.Security;
using Control.Viewer.Infrastructure;

namespace Control.Viewer;

/// <summary>Options shared by many commands, each defined once so help texts stay the same everywhere.</summary>
internal sealed class GlobalOptions
{
    public Option<Uri?> Server { get; } = new("--server")
    {
        Description = "URL of the Control API, e.g. https://control.example.com or http://127.0.0.1:8080 (after login it is remembered; this overrides it)",
        HelpName = "URL",
        Recursive = true,
        CustomParser = ParseServer,
    };

    public Option<bool> AllowInsecureHttp { get; } = new("--allow-insecure-http")
    {
        Description = "Allow a plain http:// --server on another machine: your password, codes and tokens cross the network unencrypted",
        Recursive = true,
    };

    /// <summary>
    /// Refuses a plain http <c>--server</c> on another machine unless <see cref="AllowInsecureHttp"/> is given (exit 2, nothing
    /// sent). The check sits on every command that runs (the innermost one parsed), where the recursive options' values are.
    /// A server stored by a login that was allowed it is used as it is, as the agent uses the server it enrolled with.
    /// </summary>
    public void RefusePlainHttpToAnotherMachine(Command root)
    {
        if (root.Subcommands.Count > 0)
        {
            foreach (var command in root.Subcommands)
            {
                RefusePlainHttpToAnotherMachine(command);
            }

            return;
        }

        root.Validators.Add(result =>
        {
            // The token's text, not the value: a malformed URL is reported by the option's own parser, once.
            var text = result.GetResult(Server) is { Tokens.Count: > 0 } given ? given.Tokens[0].Value : null;
            if (Uri.TryCreate(text, UriKind.Absolute, out var server) && PlainHttp.ToAnotherMachine(server) && !result.GetValue(AllowInsecureHttp))
            {
                result.AddError($"'{server}' is plain http to another machine: your password, codes and tokens would cross the network "
                    + "unencrypted; use https (or --allow-insecure-http on a network you trust).");
            }
        });
    }

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
