using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using JasperFx.Events;
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

public sealed record IssueEnrolmentTicketRequest(string? Reason) : ICustomClientChangeRequest;

/// <summary>A one-time ticket that enrols one machine with a custom client (private links need one), valid for an hour, shown once.</summary>
public static class IssueEnrolmentTicketEndpoint
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromHours(1);

    public sealed class Validator : CustomClientChangeValidator<IssueEnrolmentTicketRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/ticket")]
    public static IResult Post(
        IssueEnrolmentTicketRequest request, [CustomClientStream] IEventStream<CustomClient> stream, IDocumentSession session, HttpContext http, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var ticket = RegistrationTokens.New(RegistrationTokenKind.EnrolmentTicket, session.TenantId);
        var (result, applied) = CustomClientChange.Decide(
            stream, new IssueEnrolmentTicket(Secrets.HashToken(ticket), now + TicketLifetime), http.User.Actor(), now, ticket, now + TicketLifetime);
        if (applied)
        {
            session.Store(new EnrolmentTicket { Id = Secrets.HashToken(ticket), CustomClientId = stream.Id, ExpiresAt = now + TicketLifetime });
        }

        return result;
    }
}
