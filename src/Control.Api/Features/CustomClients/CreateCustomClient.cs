using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Organizations;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

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

/// <summary>A custom client: a registration link (shown once) that enrols machines with preset settings and an alias suffix.</summary>
public static class CreateCustomClientEndpoint
{
    public sealed class Validator : AbstractValidator<CreateCustomClientRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).Reason(ValidationRules.ReasonRequired);
            RuleFor(x => x.Public).NotNull().WithMessage("Say whether the registration link is public (true) or private (false).");
            RuleFor(x => x.Name).NotEmpty().WithMessage("A name is required.");
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients")]
    public static async Task<IResult> Post(CreateCustomClientRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
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
