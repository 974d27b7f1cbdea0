using System.CommandLine;
using System.Net;
using Control.Agent.Server;
using Control.Agent.Storage;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Agent.Commands;

/// <summary>
/// <c>control-agent enroll</c>: makes this machine a client of the organization whose license key (or registration
/// token) it is given, with a fresh P-256 key of its own, and pins the organization's policy key.
/// </summary>
internal static class EnrollCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The Control API's base URL, e.g. https://control.example.com.", Required = true, HelpName = "URL" };
        server.Validators.Add(result =>
        {
            if (ServerAddress.Problem(result.GetValueOrDefault<string>(), allowInsecureHttp: true) is { } problem)
            {
                result.AddError(problem);
            }
        });
        var token = new Option<string?>("--token")
        {
            Description = "The organization's license key (ctl-lic.<org>.<secret>) or a registration token. It shows in the process list; prefer --token-file.",
            HelpName = "TOKEN",
        };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the license key or registration token from this file ('-' for standard input).", HelpName = "FILE" };
        var alias = new Option<string?>("--alias") { Description = "The alias name to ask for (lowercase; the server adds @<org>), e.g. kiosk1.", HelpName = "NAME" };
        alias.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string?>()?.Trim().ToLowerInvariant();
            if (name is not null && !ClientDecider.AliasNamePattern().IsMatch(name))
            {
                result.AddError($"--alias '{name}' is not an alias name: 1-32 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit (the server adds @<org>).");
            }
        });
        var force = new Option<bool>("--force") { Description = "Replace an existing enrolment in the state directory (its policy cache and status are discarded)." };
        var insecure = new Option<bool>("--allow-insecure-http")
        {
            Description = "Allow plain http to a server that is not on this machine: the license key and the credential cross the network unencrypted.",
        };
        var noLoginAccount = new Option<bool>("--no-login-account")
        {
            Description = $"Do not create the local account {Domain.Sessions.SessionLogins.Default}, a new client's only permitted session login (create it, or permit another login, yourself).",
        };
        var stateDirectory = AgentOptions.StateDirectory();

        var command = new Command("enroll", "Join an organization: create this client's key, register it with the API and pin the organization's policy key.")
        {
            server, token, tokenFile, alias, force, insecure, noLoginAccount, stateDirectory,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(token) is null) == (result.GetValue(tokenFile) is null))
            {
                result.AddError("Give exactly one of --token or --token-file.");
            }
        });

        command.SetAction(async (parse, cancellation) =>
        {
            var serverText = parse.GetValue(server)!;
            if (ServerAddress.Problem(serverText, parse.GetValue(insecure)) is { } problem)
            {
                throw AgentFailure.Error(problem);
            }

            var request = new Enrolling(
                ServerAddress.Display(serverText),
                ReadToken(parse.GetValue(token), parse.GetValue(tokenFile)),
                parse.GetValue(alias)?.Trim().ToLowerInvariant(),
                parse.GetValue(force),
                StateDirectory.Resolve(parse.GetValue(stateDirectory)));
            var enrolled = await EnrollAsync(request, cancellation);
            if (enrolled == ExitCodes.Ok && !parse.GetValue(noLoginAccount))
            {
                await SessionLoginAccount.EnsureAsync(Console.Out, Console.Error, cancellation);
            }

            return enrolled;
        });
        return command;
    }

    private sealed record Enrolling(string Server, string Token, string? Alias, bool Force, StateDirectory State);

    private static async Task<int> EnrollAsync(Enrolling enrolling, CancellationToken cancellation)
    {
        var state = enrolling.State;
        state.EnsureExists();
        using var held = state.TryLock()
            ?? throw AgentFailure.Error($"a control-agent process is using {state.Path}; stop it first (systemctl stop control-agent)");
        if (!enrolling.Force && File.Exists(state.EnrolmentFile))
        {
            var existing = Enrolment.Load(state);
            throw AgentFailure.Error($"already enrolled as {existing?.DisplayName} with {existing?.Server}; to replace this enrolment, run again with --force "
                + "(and ask an admin to remove the old client)");
        }

        using var key = AgentKey.Generate();
        var publicKey = AgentKey.PublicKey(key);

        // The key is on disk (0600) before the server knows it: a crash after the server accepted it cannot leave a
        // client whose key is lost. It replaces agent.key only once enrolment succeeded, so a failed --force keeps
        // the working enrolment.
        PrivateFile.WriteAtomically(state.PendingKeyFile, AgentKey.ToPem(key));
        EnrollResponse response;
        try
        {
            response = await RegisterAsync(enrolling, publicKey, cancellation);
        }
        catch
        {
            File.Delete(state.PendingKeyFile);
            throw;
        }

        File.Move(state.PendingKeyFile, state.KeyFile, overwrite: true);
        File.Delete(state.PolicyFile);
        File.Delete(state.StatusFile);
        var enrolment = new Enrolment(
            enrolling.Server, response.ClientId, response.ClientNumber, response.Organization, response.Alias, response.Credential,
            response.PolicyPublicKey, response.KeyFingerprint, DateTimeOffset.UtcNow);
        enrolment.Save(state);

        Console.WriteLine($"Enrolled as {enrolment.DisplayName}, key fingerprint {enrolment.KeyFingerprint}");
        Console.WriteLine($"Pinned the policy key of {enrolment.Organization}: fingerprint {PolicySignature.Fingerprint(enrolment.PolicyPublicKey)}");
        Console.WriteLine(state.Path == StateDirectory.SystemPath
            ? "Next: systemctl enable --now control-agent   (or in the foreground: control-agent run)"
            : $"Next: control-agent run --state-dir {state.Path}");
        return ExitCodes.Ok;
    }

    private static async Task<EnrollResponse> RegisterAsync(Enrolling enrolling, string publicKey, CancellationToken cancellation)
    {
        using var api = new AgentApi(ServerAddress.FromStored(enrolling.Server), credential: null);
        ApiAnswer<EnrollResponse> answer;
        try
        {
            answer = await api.EnrollAsync(new EnrollRequest(enrolling.Token, publicKey, enrolling.Alias, Environment.MachineName), cancellation);
        }
        catch (HttpRequestException e)
        {
            throw AgentFailure.Error($"cannot reach the server at {enrolling.Server}: {AgentApi.Describe(e)}");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw AgentFailure.Error($"the server at {enrolling.Server} did not answer within {AgentApi.Timeout.TotalSeconds:0} s");
        }

        if (answer.Problem is { } problem)
        {
            throw AgentFailure.Error(answer.Status switch
            {
                HttpStatusCode.Unauthorized => $"enrolment refused: {problem}; check the license key (it may have been reset)",
                HttpStatusCode.Conflict => $"enrolment refused: {problem}; choose another --alias",
                HttpStatusCode.TooManyRequests => $"enrolment refused: {problem}; wait a minute and try again",
                _ => $"enrolment refused: {problem}",
            });
        }

        var response = answer.Value;
        if (response is null || response.ClientId == Guid.Empty || string.IsNullOrEmpty(response.Credential) || string.IsNullOrEmpty(response.ClientNumber)
            || string.IsNullOrEmpty(response.Organization) || !PolicySignature.IsP256PublicKey(response.PolicyPublicKey))
        {
            throw AgentFailure.Error($"the server at {enrolling.Server} did not answer with an enrolment (is it a Control API?)");
        }

        // Viewers pin the fingerprint the server recorded: it must be this key's, or nobody could verify this client.
        if (response.KeyFingerprint != PolicySignature.Fingerprint(publicKey))
        {
            throw AgentFailure.Error($"the server recorded key fingerprint {response.KeyFingerprint}, but this client's key is {PolicySignature.Fingerprint(publicKey)}; "
                + "enrolment not saved (ask an admin to remove client " + response.ClientNumber + ")");
        }

        return response;
    }

    private static string ReadToken(string? token, string? tokenFile)
    {
        if (token is not null)
        {
            return token.Trim();
        }

        try
        {
            var text = tokenFile == "-" ? Console.In.ReadToEnd() : File.ReadAllText(tokenFile!);
            return text.Trim() is { Length: > 0 } read ? read : throw AgentFailure.Error($"{tokenFile} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AgentFailure.Error($"cannot read the token from {tokenFile}: {e.Message}");
        }
    }
}
