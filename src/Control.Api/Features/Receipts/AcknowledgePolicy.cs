using Control.Api.Auth;
using Control.Api.Features.PolicyDelivery;
using Control.Domain.Contracts;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Receipts;

/// <summary>
/// The agent's receipt for the policy version it now enforces, signed with its enrolment key: the API can then show,
/// per client, the latest and the enforced version (and an offboarding can prove a revocation took effect). Agents send
/// it on their next policy request (<see cref="PolicyAcknowledgement.Header"/>, see <see cref="GetPolicyEndpoint"/>);
/// this request of its own is the same receipt, checked at once, for a caller that wants the answer.
/// </summary>
public static class AcknowledgePolicyEndpoint
{
    // A removed client may still acknowledge: its receipt for the tombstone proves the removal took effect there.
    [Authorize(Policy = Policies.Agent)]
    [WolverinePost("/agent/ack")]
    public static async Task<IResult> Post(
        PolicyAcknowledgement request, PolicySnapshots snapshots, ServedPolicyParts served, PresenceTracker presence, HttpContext http)
    {
        var clientId = http.User.OperatorId();
        var organization = http.User.OrganizationSlug();
        var client = await snapshots.Client(organization, clientId);
        if (client is null || request is null || !served.Acknowledges(client, snapshots.PublicKey(client), request))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["signature"] = ["The receipt is not signed by this client's key, or does not name the parts of a policy served to it."],
            });
        }

        // Thousands of receipts arrive together after an organization-wide change: they are batched, not written one by one.
        presence.Enforced(organization, clientId, request.Version, request.Signature!);
        return Results.NoContent();
    }
}
