using System.Security.Cryptography;
using System.Text;
using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Agents;

/// <summary>
/// The agent's receipt for the policy version it now enforces, signed with its enrolment key: the API can then show,
/// per client, the latest and the enforced version (and an offboarding can prove a revocation took effect).
/// </summary>
public static class AcknowledgePolicyEndpoint
{
    [Authorize(Policy = Policies.ActiveAgent)]
    [WolverinePost("/agent/ack")]
    public static async Task<IResult> Post(PolicyAcknowledgement request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var clientId = http.User.OperatorId();
        var client = await session.LoadAsync<Client>(clientId, cancellation);
        if (client is null || !SignatureValid(client.PublicKey, clientId, request))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["signature"] = ["The receipt is not signed by this client's key."] });
        }

        var presence = await session.LoadAsync<ClientPresence>(clientId, cancellation) ?? new ClientPresence { Id = clientId };
        if (presence.EnforcedVersion is null || request.Version > presence.EnforcedVersion)
        {
            presence.EnforcedVersion = request.Version;
            presence.EnforcedAt = clock.GetUtcNow();
            presence.LastSeenAt = presence.EnforcedAt;
            session.Store(presence);
        }

        return Results.NoContent();
    }

    private static bool SignatureValid(string publicKey, Guid clientId, PolicyAcknowledgement receipt)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            return key.VerifyData(Encoding.UTF8.GetBytes(PolicySignature.AcknowledgementText(clientId, receipt.Version)),
                Convert.FromBase64String(receipt.Signature ?? ""), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
