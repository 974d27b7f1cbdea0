using System.CommandLine;
using System.CommandLine.Parsing;
using Control.Domain.Common;
using Control.Viewer.Commands.Account;
using Control.Viewer.Commands.Acl;
using Control.Viewer.Commands.Audit;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Commands.ClientTwoFactor;
using Control.Viewer.Commands.License;
using Control.Viewer.Commands.Organizations;
using Control.Viewer.Commands.Offboarding;
using Control.Viewer.Commands.Operators;
using Control.Viewer.Commands.People;
using Control.Viewer.Commands.Password;
using Control.Viewer.Commands.SignIn;
using Control.Viewer.Commands.Sessions;
using Control.Viewer.Commands.Permissions;
using Control.Viewer.Commands.Setup;
using Control.Viewer.Commands.Tokens;
using Control.Viewer.Commands.TwoFactor;
using Control.Viewer.Commands.Unattended;
using Control.Viewer.Infrastructure;

namespace Control.Viewer;

/// <summary>The command tree and the one place where failures become messages and exit codes.</summary>
internal static class Cli
{
    public const string Name = "control";
    public const int Success = 0;
    public const int Cancelled = 130;

    public static RootCommand Build(CliContext context)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand(
            "control: sign in to a Control API; manage operators and your two-factor authentication; manage enrolled clients (tags, ACL, " +
            "unattended access and its password and 2FA, tokens, session permissions, removal) one at a time or by tag; reset the license key; " +
            "read the audit trail; open encrypted sessions to clients (connect, exec, shell, cp).")
        {
            globals.Server,
            SetupCommand.Create(context, globals),
            LoginCommand.Create(context, globals),
            LogoutCommand.Create(context, globals),
            WhoAmICommand.Create(context, globals),
            ActivateCommand.Create(context, globals),
            PasswordCommands.Create(context, globals),
            OperatorsCommands.Create(context, globals),
            TwoFactorCommands.Create(context, globals),
            ClientsCommands.Create(context, globals),
            AclCommands.Create(context, globals),
            UnattendedCommands.Create(context, globals),
            TokensCommands.Create(context, globals),
            ClientTwoFactorCommands.Create(context, globals),
            PermissionsCommands.Create(context, globals),
            LicenseCommands.Create(context, globals),
            OrganizationCommands.Create(context, globals),
            AuditCommands.Create(context, globals),
            PeopleCommands.Create(context, globals),
            OffboardCommands.Create(context, globals),
            AccessCommands.Create(context, globals),
            SessionsCommands.Create(context, globals),
            ConnectCommand.Create(context, globals),
            ExecCommand.Create(context, globals),
            ShellCommand.Create(context, globals),
            CopyCommand.Create(context, globals),
        };
        root.Options.Add(globals.AllowInsecureHttp);
        globals.RefusePlainHttpToAnotherMachine(root);
        return root;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellation = default)
    {
        var parse = Build(context).Parse(args);
        PhaseTrace.Mark("parsed");
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync("error: " + error.Message);
            }

            await context.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return CliException.UsageExitCode;
        }

        try
        {
            var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(configuration, cancellation);
        }
        catch (CliException e)
        {
            // Messages quote what agents and the API relay (why a session ended, a problem's detail): line by line, inert.
            await context.Error.WriteLineAsync(string.Join('\n', e.Message.Split('\n').Select(line => UntrustedText.Inert(line.TrimEnd('\r')))));
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("cancelled");
            return Cancelled;
        }
        catch (Exception e)
        {
            // No stack trace: it helps no operator and may carry paths or request data.
            await context.Error.WriteLineAsync($"error: unexpected failure ({e.GetType().Name}): {e.Message}");
            return CliException.FailureExitCode;
        }
    }

    /// <summary><c>control operators list</c> for the command the parser got to, whatever the executable is called.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            names.Add(command.Parent is null ? Name : command.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
