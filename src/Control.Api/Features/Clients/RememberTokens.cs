using System.Text.Json;
using System.Text.RegularExpressions;
using Control.Api.Auth;
using Control.Api.Features.Audit.History;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>
/// The remember-tokens agents reported issuing (<see cref="RememberTokenIssued"/> in session streams) and using
/// (<see cref="SessionAuthenticated.RememberTokenId"/>), read straight from the event store of the caller's organization.
/// </summary>
public static partial class RememberTokenLedger
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every token reported for the client, with when a session last used it.</summary>
    public static async Task<IReadOnlyList<RememberTokenView>> Issued(
        NpgsqlDataSource database, string schema, string organization, Guid clientId, string? tokenId, CancellationToken cancellation)
    {
        var issued = new List<RememberTokenIssued>();
        await using (var command = database.CreateCommand($"""
            select data from {schema}.mt_events
            where tenant_id = $1 and type = $2 and data->>'clientId' = $3 and ($4::text is null or data->>'tokenId' = $4)
            order by seq_id
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = organization });
            command.Parameters.Add(new NpgsqlParameter { Value = EventTypes.Alias(nameof(RememberTokenIssued)) });
            command.Parameters.Add(new NpgsqlParameter { Value = clientId.ToString() });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)tokenId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                issued.Add(JsonSerializer.Deserialize<RememberTokenIssued>(reader.GetString(0), Json)!);
            }
        }

        var lastUsed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using (var command = database.CreateCommand($"""
            select data->>'rememberTokenId', max((data->>'at')::timestamptz) from {schema}.mt_events
            where tenant_id = $1 and type = $2 and data->>'clientId' = $3 and data->>'rememberTokenId' is not null
            group by 1
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = organization });
            command.Parameters.Add(new NpgsqlParameter { Value = EventTypes.Alias(nameof(SessionAuthenticated)) });
            command.Parameters.Add(new NpgsqlParameter { Value = clientId.ToString() });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                lastUsed[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        // A token id is the agent's; should one ever repeat, the latest issue is the one that counts.
        return issued.GroupBy(t => t.TokenId, StringComparer.Ordinal).Select(g => g.Last())
            .Select(t => new RememberTokenView(t.TokenId, t.ClientId, t.ViewerAlias, t.Device, t.TokenEpoch, t.At, t.SessionId,
                lastUsed.TryGetValue(t.TokenId, out var used) ? used : null))
            .ToList();
    }

    /// <summary>Agents issue 8 random bytes as lowercase hex.</summary>
    [GeneratedRegex("^[0-9a-f]{1,64}$")]
    public static partial Regex TokenIdPattern();
}

/// <summary>
/// <c>GET /clients/{client}/tokens</c>: the remember-tokens still valid on a client (issued under its current token epoch,
/// not revoked), newest first. Readable by whoever reads session history: it is drawn from the same facts.
/// </summary>
public static class ListRememberTokensEndpoint
{
    [Authorize(Policy = Policies.ReadSessions)]
    [WolverineGet("/clients/{client}/tokens")]
    public static async Task<IResult> Get(
        string client, IQuerySession session, NpgsqlDataSource database, IOptions<ControlOptions> options, CancellationToken cancellation)
    {
        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var tokens = await RememberTokenLedger.Issued(database, options.Value.DatabaseSchema, session.TenantId, target.Id, null, cancellation);
        var valid = tokens.Where(t => t.Epoch == target.TokenEpoch && !target.RevokedTokenIds.Contains(t.TokenId, StringComparer.Ordinal))
            .OrderByDescending(t => t.IssuedAt).ToList();
        return Results.Ok(valid);
    }
}

/// <summary>
/// <c>POST /clients/{client}/tokens/{tokenId}/revoke</c>: one remember-token is void from the next policy on; the agent
/// refuses it and ends the live sessions it admitted.
/// </summary>
public static class RevokeRememberTokenEndpoint
{
    public sealed class Validator : AbstractValidator<RevokeRememberTokenRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).Reason();
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/tokens/{tokenId}/revoke")]
    public static async Task<IResult> Post(
        string tokenId, RevokeRememberTokenRequest request, [ClientStream] IEventStream<Client> stream, IDocumentSession session, NpgsqlDataSource database,
        IOptions<ControlOptions> options, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        tokenId = tokenId.Trim().ToLowerInvariant();
        var target = stream.Aggregate!;
        long? epoch = null;
        if (RememberTokenLedger.TokenIdPattern().IsMatch(tokenId))
        {
            var issued = await RememberTokenLedger.Issued(database, options.Value.DatabaseSchema, session.TenantId, target.Id, tokenId, cancellation);
            epoch = issued.Count > 0 ? issued[0].Epoch : null;
        }

        var decision = ClientDecider.Decide(new RevokeRememberToken(tokenId, epoch), target, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (_, version) = stream.Append(decision, Client.Evolve);
        return Results.Ok(new ClientChangeResponse(target.Id, target.NumberText, version, decision.Events.Count > 0));
    }
}
