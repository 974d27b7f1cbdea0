using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Setup;

/// <summary><c>control setup</c>: the first organization and its owner, with the API's one-time bootstrap token.</summary>
internal static class SetupCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["bootstrapToken"] = "--token",
        ["slug"] = "--org",
        ["name"] = "--name",
        ["ownerUsername"] = "--user",
        ["ownerPassword"] = "password",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var tokenFile = new Option<FileInfo?>("--token-file")
        {
            Description = "File with the one-time bootstrap token the API wrote at its first start (by default .data/bootstrap-token beside the API)",
            HelpName = "PATH",
        };
        var token = new Option<string?>("--token")
        {
            Description = "The bootstrap token itself (prefer --token-file: command lines are visible to other local users)",
            HelpName = "TOKEN",
        };
        var organization = new Option<string>("--org")
        {
            Description = "Namespace of the new organization (3-32 lowercase letters, digits, inner hyphens); aliases become name@org",
            HelpName = "SLUG",
            Required = true,
        };
        var name = new Option<string>("--name") { Description = "Display name of the organization", HelpName = "NAME", Required = true };
        var user = new Option<string>("--user") { Description = "Username of the first owner account (you)", HelpName = "NAME", Required = true };
        var json = GlobalOptions.Json();

        var command = new Command("setup", "Create the first organization and its owner account (asks for the owner's password twice)")
        {
            tokenFile, token, organization, name, user, json,
        };
        globals.RequireServer(command);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(tokenFile) is null) == (result.GetResult(token) is null))
            {
                result.AddError("Give exactly one of --token-file and --token.");
            }
        });

        command.SetAction(async (parse, cancellation) =>
        {
            var server = parse.GetValue(globals.Server)!;
            var bootstrapToken = parse.GetValue(token) ?? ReadTokenFile(parse.GetValue(tokenFile)!);
            var slug = parse.GetValue(organization)!;
            var username = parse.GetValue(user)!;
            var password = Prompt.NewPassword(context, $"Password for the owner {username}@{slug}: ");

            using var api = ApiClient.Create(context, server);
            var result = await api.SendAsync<SetupResponse>(
                HttpMethod.Post, "setup", new SetupRequest(bootstrapToken, slug, parse.GetValue(name), username, password), null, cancellation);
            var created = result.Require(Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, created);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync($"Created organization {created.Slug} ({parse.GetValue(name)}) with the owner {created.OwnerUsername}@{created.Slug}.");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("License key (it enrols your organization's clients; store it somewhere safe: it is shown only now):");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"    {created.LicenseKey}");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("Next, sign in:");
            await context.Out.WriteLineAsync($"  {new LoginHint(server, created.Slug, created.OwnerUsername)}");
            return Cli.Success;
        });
        return command;
    }

    private static string ReadTokenFile(FileInfo file)
    {
        try
        {
            var text = File.ReadAllText(file.FullName).Trim();
            return text.Length > 0 ? text : throw CliException.Failure($"the bootstrap token file {file.FullName} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Failure(
                $"cannot read the bootstrap token file {file.FullName}: {e.Message} (the API writes it at its first start, mode 0600, as the user it runs as)");
        }
    }
}
