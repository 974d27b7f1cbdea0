using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>
/// Applies one change to every active client carrying a tag: one event per affected client, all under one correlation
/// id, in one transaction (all or nothing). Clients for which the change is already true are left alone. Each action is
/// the single-client command of the same name (<see cref="ClientActions"/>), validated by that command's validator.
/// </summary>
public static class BulkChangeClientsEndpoint
{
    public const int MaxClients = 5000;

    private static readonly Dictionary<string, Func<ClientChangeRequest, IClientChangeRequest>> Commands = new(StringComparer.Ordinal)
    {
        [ClientActions.EnableAcl] = r => new EnableAclRequest(r.Reason),
        [ClientActions.DisableAcl] = r => new DisableAclRequest(r.Reason),
        [ClientActions.AddAclEntry] = r => new AddAclEntryRequest(r.Reason, Entry: r.Entry, AllowEveryone: r.AllowEveryone),
        [ClientActions.RemoveAclEntry] = r => new RemoveAclEntryRequest(r.Reason, Entry: r.Entry),
        [ClientActions.EnableUnattendedAccess] = r => new EnableUnattendedAccessRequest(r.Reason),
        [ClientActions.DisableUnattendedAccess] = r => new DisableUnattendedAccessRequest(r.Reason),
        [ClientActions.SetExclusiveUnattendedAccess] = r => new SetExclusiveUnattendedAccessRequest(r.Reason, Exclusive: r.Exclusive),
        [ClientActions.SetUnattendedPassword] = r => new SetUnattendedPasswordRequest(r.Reason),
        [ClientActions.ClearTokens] = r => new ClearTokensRequest(r.Reason),
        [ClientActions.DisableTwoFactor] = r => new DisableClientTwoFactorRequest(r.Reason),
        [ClientActions.SetSessionPermissions] = r => new SetSessionPermissionsRequest(r.Reason, Exec: r.Exec, Shell: r.Shell, FileTransfer: r.FileTransfer),
        [ClientActions.SetSessionLogins] = r => new SetSessionLoginsRequest(r.Reason, Logins: r.Logins, AllowRoot: r.AllowRoot),
        [ClientActions.SetTags] = r => new SetClientTagsRequest(r.Reason, Tags: r.Tags),
        [ClientActions.Remove] = r => new RemoveClientRequest(r.Reason),
        [ClientActions.RemoveLicense] = r => new RemoveClientLicenseRequest(r.Reason),
    };

    public sealed class Validator : AbstractValidator<ClientChangeRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Tag).Must(tag => tag is not null && ClientDecider.TagPattern().IsMatch(tag.Trim().ToLowerInvariant()))
                .WithMessage("Select the clients with a tag (e.g. --where tag=kiosk).");
            RuleFor(x => x.Password).Null().WithMessage("A bulk rotation generates a different password per client; do not supply one.");
        }
    }

    /// <summary>The action's own validator, as for one client.</summary>
    public static async Task<ProblemDetails> Validate(string action, ClientChangeRequest request, HttpContext http, CancellationToken cancellation) =>
        Commands.TryGetValue(action, out var command)
            ? await RequestValidation.Run(http.RequestServices, command(request), cancellation)
            : UnknownClientActionEndpoint.Problem(action);

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/bulk/{action}")]
    public static async Task<IResult> Post(
        string action, ClientChangeRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var tag = request.Tag!.Trim().ToLowerInvariant();
        var targets = await session.Query<Client>().Where(c => c.Status == ClientStatus.Active && c.Tags.Contains(tag)).Take(MaxClients + 1).ToListAsync(cancellation);
        if (targets.Count > MaxClients)
        {
            return Problems.Field("tag", $"More than {MaxClients} clients match; narrow the selection.").ToResult();
        }

        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var change = Commands[action](request);
        var results = new List<ClientChangeResponse>();
        foreach (var client in targets)
        {
            var stream = await session.Events.FetchForWriting<Client>(client.Id, cancellation);
            var (changed, refusal) = ClientChange.Apply(stream, change.ToCommand(), actor, now);
            if (refusal is not null)
            {
                return Problems.From(refusal with { Message = $"{client.Alias ?? client.NumberText}: {refusal.Message}" }).ToResult();
            }

            results.Add(changed!);
        }

        return Results.Ok(new BulkChangeResponse(session.CorrelationId!, results));
    }
}
