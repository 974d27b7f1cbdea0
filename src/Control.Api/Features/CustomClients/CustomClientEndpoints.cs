using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Organizations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

/// <summary>A stored one-time enrolment ticket (hash only) for a custom client.</summary>
public sealed class EnrolmentTicket
{
    public string Id { get; set; } = "";
    public Guid CustomClientId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

public static class Presets
{
    public static ClientPreset From(ClientPresetDto dto) => new(
        dto.AclEnabled,
        (dto.AclEntries ?? []).Select(e => e.Trim().ToLowerInvariant()).Distinct().ToList(),
        dto.UnattendedEnabled,
        new SessionPermissions(dto.Exec, dto.Shell, dto.FileTransfer));

    public static ClientPresetDto ToDto(ClientPreset preset) => new(
        preset.AclEnabled, preset.AclEntries, preset.UnattendedEnabled, preset.Permissions.Exec, preset.Permissions.Shell, preset.Permissions.FileTransfer);
}

public static class CreateCustomClientEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients")]
    public static async Task<IResult> Post(CreateCustomClientRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            errors["reason"] = ["A reason is required for every security change."];
        }

        if (request.Public is null)
        {
            errors["public"] = ["Say whether the registration link is public (true) or private (false)."];
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["A name is required."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var name = request.Name!.Trim().ToLowerInvariant();
        var taken = await session.Query<CustomClient>().AnyAsync(c => c.Name == name && !c.Deleted, cancellation);
        var token = RegistrationTokens.New(RegistrationTokenKind.CustomClientLink, organization.Slug);
        var id = Guid.CreateVersion7();
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var preset = request.Preset is null ? organization.ClientDefaults : Presets.From(request.Preset);
        var decision = CustomClientDecider.Decide(
            new CreateCustomClient(id, organization.Id, name, request.AliasSuffix?.Trim().ToLowerInvariant(), preset, request.Public!.Value, Secrets.HashToken(token)),
            taken, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        session.Events.StartStream<CustomClient>(id, [.. decision.Events, new SecretRevealed(id, SecretKind.CustomClientLink, actor, now)]);
        return Results.Created($"/custom-clients/{name}", new CustomClientCreatedResponse(id, name, request.Public!.Value, token));
    }
}

public static class ListCustomClientsEndpoint
{
    [Authorize(Policy = Policies.ReadClients)]
    [WolverineGet("/custom-clients")]
    public static async Task<IReadOnlyList<CustomClientSummary>> Get(IQuerySession session, CancellationToken cancellation)
    {
        var all = await session.Query<CustomClient>().Where(c => !c.Deleted).OrderBy(c => c.Name).ToListAsync(cancellation);
        return all.Select(c => new CustomClientSummary(c.Id, c.Name, c.AliasSuffix, c.Public, Presets.ToDto(c.Preset), c.CreatedAt, c.Version)).ToList();
    }
}

/// <summary>make-private, make-public, rotate (new link token, old one dead at once), delete, ticket (one-time enrolment, 1 h).</summary>
public static class ChangeCustomClientEndpoint
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromHours(1);

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/{action}")]
    public static async Task<IResult> Post(
        string name, string action, ReasonRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (action is not ("make-private" or "make-public" or "rotate" or "delete" or "ticket"))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["action"] = ["Actions: make-private, make-public, rotate, delete, ticket."] });
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required for every security change."] });
        }

        var normalized = name.Trim().ToLowerInvariant();
        var target = await session.Query<CustomClient>().FirstOrDefaultAsync(c => c.Name == normalized && !c.Deleted, cancellation);
        if (target is null)
        {
            return Problems.NotFound("custom client").ToResult();
        }

        var stream = await session.Events.FetchForWriting<CustomClient>(target.Id, cancellation);
        var now = clock.GetUtcNow();
        var actor = http.User.Actor();
        var kind = action == "ticket" ? RegistrationTokenKind.EnrolmentTicket : RegistrationTokenKind.CustomClientLink;
        var token = action is "rotate" or "ticket" ? RegistrationTokens.New(kind, session.TenantId) : null;
        object command = action switch
        {
            "make-private" => new SetCustomClientVisibility(false),
            "make-public" => new SetCustomClientVisibility(true),
            "rotate" => new RotateCustomClientToken(Secrets.HashToken(token!)),
            "delete" => new DeleteCustomClient(),
            _ => new IssueEnrolmentTicket(Secrets.HashToken(token!), now + TicketLifetime),
        };
        var decision = CustomClientDecider.Decide(command, stream.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        if (token is not null)
        {
            stream.AppendOne(new SecretRevealed(target.Id, SecretKind.CustomClientLink, actor, now));
        }

        if (action == "ticket")
        {
            session.Store(new EnrolmentTicket { Id = Secrets.HashToken(token!), CustomClientId = target.Id, ExpiresAt = now + TicketLifetime });
        }

        var state = decision.Events.Aggregate(stream.Aggregate!, (current, e) => CustomClient.Evolve(current, e)!);
        var version = (stream.StartingVersion ?? 0) + decision.Events.Count + (token is null ? 0 : 1);
        return Results.Ok(new CustomClientActionResponse(state.Id, state.Name, state.Public, state.Deleted, version, token,
            action == "ticket" ? now + TicketLifetime : null));
    }
}

/// <summary>The settings every client enrolled with the license key starts with (organization-wide defaults).</summary>
public static class SetClientDefaultsEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/organization/client-defaults")]
    public static async Task<IResult> Post(ClientDefaultsRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (request.Defaults is null || string.IsNullOrWhiteSpace(request.Reason))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["defaults"] = ["The defaults and a reason are required."] });
        }

        var preset = Presets.From(request.Defaults);
        if (CustomClientDecider.PresetProblem(preset)?.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var stream = await session.Events.FetchForWriting<Organization>(organization.Id, cancellation);
        stream.AppendOne(new OrganizationClientDefaultsSet(organization.Id, preset, http.User.Actor(), clock.GetUtcNow()));
        return Results.Ok(Presets.ToDto(preset));
    }
}
