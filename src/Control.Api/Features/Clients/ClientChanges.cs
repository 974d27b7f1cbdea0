using System.Security.Cryptography;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Api.Features.Clients;

/// <summary>
/// The settings a client's owner can change, by action name: what each needs from the request, and the domain command
/// it becomes. One table serves the single-client and the bulk endpoints and the CLI's verbs.
/// </summary>
public sealed class ClientChanges(Passwords passwords)
{
    public static IReadOnlyCollection<string> Actions { get; } =
    [
        "acl-enable", "acl-disable", "acl-add", "acl-remove", "unattended-enable", "unattended-disable", "unattended-exclusive",
        "unattended-password", "tokens-clear", "2fa-disable", "permissions", "logins", "tags", "remove", "remove-license",
    ];

    /// <summary>Field errors of the request for this action (empty when valid).</summary>
    public Dictionary<string, string[]> Validate(string action, ClientChangeRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Actions.Contains(action))
        {
            errors["action"] = [$"Unknown action '{action}'. Actions: {string.Join(", ", Actions)}."];
            return errors;
        }

        if (request is null)
        {
            errors["body"] = ["A JSON body with at least a reason is required."];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            errors["reason"] = [$"A reason (at most {ValidationRules.MaxReasonLength} characters) is required for every security change."];
        }

        if (request.ExpectedVersion is <= 0)
        {
            errors["expectedVersion"] = ["The expected version is the positive version number you read."];
        }

        switch (action)
        {
            case "acl-add" or "acl-remove" when !AclEntry.TryParse(request.Entry, out _, out var error):
                errors["entry"] = [error];
                break;
            case "unattended-exclusive" when request.Exclusive is null:
                errors["exclusive"] = ["Say whether exclusive mode is on (true) or off (false)."];
                break;
            case "unattended-password" when request.Password is not null && passwords.Check(request.Password) is { } weak:
                errors["password"] = [weak];
                break;
            case "permissions" when request.Exec is null || request.Shell is null || request.FileTransfer is null:
                errors["permissions"] = ["Give exec, shell and fileTransfer, each true or false."];
                break;
            case "logins" when request.Logins is not { Count: > 0 } || request.Logins.Any(l => !Domain.Sessions.SessionLogins.IsValid(l?.Trim())):
                errors["logins"] = [Domain.Sessions.SessionLogins.ListRule];
                break;
            case "tags" when request.Tags is null || request.Tags.Any(t => !ClientDecider.TagPattern().IsMatch(t.Trim().ToLowerInvariant())):
                errors["tags"] = ["Tags are 1-40 lowercase letters, digits, '.', '_' or '-'."];
                break;
        }

        return errors;
    }

    /// <summary>The command for a validated request; a generated unattended password is returned to be shown once.</summary>
    public (ClientCommand Command, string? GeneratedPassword) Command(string action, ClientChangeRequest request)
    {
        string? generated = null;
        ClientCommand command = action switch
        {
            "acl-enable" => new EnableAcl(),
            "acl-disable" => new DisableAcl(),
            "acl-add" => new AddAclEntry(request.Entry!, request.AllowEveryone ?? false),
            "acl-remove" => new RemoveAclEntry(request.Entry!),
            "unattended-enable" => new EnableUnattendedAccess(),
            "unattended-disable" => new DisableUnattendedAccess(),
            "unattended-exclusive" => new SetExclusiveUnattendedAccess(request.Exclusive!.Value),
            "unattended-password" => Password(request.Password, out generated),
            "tokens-clear" => new ClearTokens(),
            "2fa-disable" => new DisableClientTwoFactor(),
            "permissions" => new SetSessionPermissions(new SessionPermissions(request.Exec!.Value, request.Shell!.Value, request.FileTransfer!.Value)),
            "logins" => new SetSessionLogins(request.Logins!, request.AllowRoot ?? false),
            "tags" => new SetClientTags(request.Tags!),
            "remove" => new RemoveClient(),
            "remove-license" => new RemoveClientLicense(),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
        };
        return (command, generated);
    }

    /// <summary>Decides one validated change on one client's stream and appends its events (and the reveal of a generated password).</summary>
    public (ClientChangeResponse? Changed, Refusal? Refusal) Apply(
        JasperFx.Events.IEventStream<Client> stream, string action, ClientChangeRequest request, Actor actor, DateTimeOffset now)
    {
        var client = stream.Aggregate!;
        var (command, generated) = Command(action, request);
        var decision = ClientDecider.Decide(command, client, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return (null, refusal);
        }

        stream.AppendMany(decision.Events.ToArray());
        if (generated is not null)
        {
            stream.AppendOne(new SecretRevealed(client.Id, SecretKind.UnattendedPassword, actor, now));
        }

        var version = (stream.StartingVersion ?? 0) + decision.Events.Count + (generated is null ? 0 : 1);
        return (new ClientChangeResponse(client.Id, client.NumberText, version, decision.Events.Count > 0, generated), null);
    }

    private static SetUnattendedPassword Password(string? supplied, out string? generated)
    {
        generated = supplied is null ? Secrets.NewCode(5) : null;
        var verifier = Scram.CreateVerifier(supplied ?? generated!, RandomNumberGenerator.GetBytes(16));
        return new SetUnattendedPassword(verifier, Generated: supplied is null);
    }
}
