using Control.Api.Auth;
using Control.Api.Features.PolicyDelivery;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Agents;

/// <summary>
/// Where an agent accepts sessions, as it last told us. Presence data, not a security change, so a document rather than
/// an event: the viewer pins the agent's enrolment key (from the client's events), never anything the agent says here.
/// </summary>
public sealed class AgentEndpoint
{
    /// <summary>The client's id.</summary>
    public Guid Id { get; set; }
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
}

/// <summary><c>control-agent run --listen</c> registers its session endpoint (host and port viewers connect to).</summary>
public static class RegisterAgentEndpointEndpoint
{
    public const int MaxHostLength = 253;

    public sealed class Validator : AbstractValidator<AgentEndpointRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Host).NotEmpty().WithMessage("A host (name or IP address) is required.")
                .MaximumLength(MaxHostLength).WithMessage($"A host is at most {MaxHostLength} characters.")
                .Must(IsHost).WithMessage("The host must be a host name or an IP address, without spaces, scheme or port.");
            RuleFor(x => x.Port).NotNull().WithMessage("A port is required.")
                .InclusiveBetween(1, 65535).WithMessage("The port is 1-65535.");
        }
    }

    public static bool IsHost(string? host) =>
        host is { Length: > 0 and <= MaxHostLength } && !host.Any(char.IsWhiteSpace) && Uri.CheckHostName(host) != UriHostNameType.Unknown;

    [Authorize(Policy = Policies.Agent)]
    [WolverinePut("/agent/endpoint")]
    public static async Task<IResult> Put(
        AgentEndpointRequest request, IDocumentSession session, PolicySnapshots snapshots, TimeProvider clock, HttpContext http)
    {
        var clientId = http.User.OperatorId();
        var client = await snapshots.Client(http.User.OrganizationSlug(), clientId);
        if (client is null || client.Status == ClientStatus.Removed)
        {
            return Problems.NotFound("client").ToResult();
        }

        session.Store(new AgentEndpoint { Id = clientId, Host = request.Host!, Port = request.Port!.Value, RegisteredAt = clock.GetUtcNow() });
        return Results.NoContent();
    }
}
