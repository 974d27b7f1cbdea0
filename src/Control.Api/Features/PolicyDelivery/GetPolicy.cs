using Control.Domain.Contracts;
using Control.Api.Auth;
using Control.Api.Features.Receipts;
using Control.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// The agent's signed policy. <c>If-None-Match: "VERSION"</c> answers 304 when nothing changed; with <c>?wait=SECONDS</c>
/// (at most 60) the request parks until a newer version exists or the time is up, so a change reaches an online agent
/// as soon as it is committed, through whichever API process the agent is connected to. The request may carry the
/// agent's signed receipt for the version it enforces (<see cref="PolicyAcknowledgement.Header"/>).
/// </summary>
public static class GetPolicyEndpoint
{
    public const int MaxWaitSeconds = 60;

    [Authorize(Policy = Policies.Agent)]
    [WolverineGet("/agent/policy")]
    public static async Task<IResult> Get(
        HttpContext http, PolicySnapshots snapshots, PolicySigner signer, PolicyChangeNotifier notifier, PresenceTracker presence, CancellationToken cancellation,
        int? wait = null)
    {
        if (wait is < 0 or > MaxWaitSeconds)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["wait"] = [$"wait is 0-{MaxWaitSeconds} seconds."] });
        }

        PolicyAcknowledgement? receipt = null;
        if (http.Request.Headers.TryGetValue(PolicyAcknowledgement.Header, out var header) && !PolicyAcknowledgement.TryParseHeader(header.ToString(), out receipt))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                [PolicyAcknowledgement.Header] = ["The receipt is 'VERSION CLIENT-REVISION ORGANIZATION-REVISION CLIENT-SHA256 ORGANIZATION-SHA256 SIGNATURE' (see PolicyReceipts)."],
            });
        }

        var clientId = http.User.OperatorId();
        var organization = http.User.OrganizationSlug();
        var known = http.Request.Headers.IfNoneMatch.ToString().Trim('"', ' ');
        var deadline = DateTimeOffset.UtcNow.AddSeconds(wait ?? 0);
        presence.Seen(organization, clientId, AuditMetadata.SourceAddress(http));
        if (receipt is not null)
        {
            // Checked with the client's key in the background (a whole fleet's receipts arrive with the polls that follow a
            // change, and the signatures can wait a second; the policies cannot). A receipt that fails is dropped there.
            presence.Received(organization, clientId, receipt);
        }
        while (true)
        {
            var changed = notifier.Subscribe(organization, clientId);
            var client = await snapshots.Client(organization, clientId);
            if (client is null)
            {
                return Problems.NotFound("client").ToResult();
            }

            var current = signer.Sign(client, (await snapshots.Organization(organization, client.OrganizationId))!);

            var etag = current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers.ETag = $"\"{etag}\"";
            if (known != etag)
            {
                return new PolicyBody(current);
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            try
            {
                await changed.WaitAsync(remaining, cancellation);
            }
            catch (TimeoutException)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
        }
    }
}

/// <summary>The prepared policy parts, written as they are (no range or conditional-request handling: the ETag logic is above).</summary>
internal sealed class PolicyBody(SignedPolicyDocument document) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = document.Length;
        document.WriteTo(response.BodyWriter);
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
