using Control.Api.Auth;
using Control.Api.Features.PolicyDelivery;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Control.Domain.Security;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine.Http;

namespace Control.Api.Features.Audit.Chain;

/// <summary>
/// <c>GET /audit/verify</c>: recomputes the caller's organization's hash chain and reports it intact (entries, head hash)
/// or its first broken link. With <c>anchorEntry</c> and <c>anchorHash</c> (from a kept anchor) it also checks that the
/// recomputed chain still has that hash at that entry, which catches a chain recomputed wholesale after an edit.
/// </summary>
public static class VerifyAuditChainEndpoint
{
    /// <summary>The query's anchor (both or neither).</summary>
    public sealed record Anchor(long? AnchorEntry, string? AnchorHash);

    public sealed class Validator : AbstractValidator<Anchor>
    {
        public Validator()
        {
            RuleFor(x => x.AnchorEntry).GreaterThanOrEqualTo(1).WithMessage("The anchored entry is a positive entry number (the entry of an anchor).");
            RuleFor(x => x.AnchorEntry).NotNull().When(x => x.AnchorHash is not null).WithMessage("Give both anchorEntry and anchorHash, or neither.");
            RuleFor(x => x.AnchorHash).NotNull().When(x => x.AnchorEntry is not null).WithMessage("Give both anchorEntry and anchorHash, or neither.");
            RuleFor(x => x.AnchorHash).Must(AuditAnchorSignature.IsHash!).When(x => x.AnchorHash is not null && x.AnchorEntry is not null)
                .WithMessage("The anchored hash is 64 lower-case hexadecimal digits (the hash of an anchor).");
        }
    }

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/verify")]
    public static async Task<IResult> Get(
        HttpContext http, AuditChainVerifier verifier, CancellationToken cancellation, long? anchorEntry = null, string? anchorHash = null)
    {
        var anchor = new Anchor(anchorEntry, anchorHash);
        if (await RequestValidation.Run(http.RequestServices, anchor, cancellation) is var problem && !ReferenceEquals(problem, WolverineContinue.NoProblems))
        {
            return problem.ToResult();
        }

        var hash = anchorHash is null ? null : Convert.FromHexString(anchorHash);
        return Results.Ok(await verifier.Verify(http.User.OrganizationSlug(), anchorEntry, hash, cancellation));
    }
}

/// <summary>
/// <c>GET /audit/anchor</c>: the chain's current head (entry number and hash), signed with the organization's policy key,
/// to print and keep outside the system; <c>control audit verify --anchor FILE</c> checks it later.
/// </summary>
public static class GetAuditAnchorEndpoint
{
    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/anchor")]
    public static async Task<AuditAnchor> Get(
        HttpContext http, IQuerySession session, NpgsqlDataSource database, IOptions<ControlOptions> options, PolicySigner signer,
        TimeProvider clock, CancellationToken cancellation)
    {
        var slug = http.User.OrganizationSlug();
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        await using var command = database.CreateCommand(
            $"select n, hash from {options.Value.DatabaseSchema}.{AuditChainSchema.ChainTable} where tenant_id = $1 order by n desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = slug });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var (entry, hash) = await reader.ReadAsync(cancellation)
            ? (reader.GetInt64(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)))
            : (0L, Convert.ToHexStringLower(new byte[AuditChainHash.HashLength]));
        var key = organization.SigningKey!;
        return AuditAnchorSignature.Sign(slug, entry, hash, clock.GetUtcNow(), signer.SigningKey(organization), key.KeyId, key.PublicKey);
    }
}
