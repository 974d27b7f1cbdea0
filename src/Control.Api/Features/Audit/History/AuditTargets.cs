using Control.Api.Features.Clients;
using Control.Api.Features.People;
using Control.Api.Infrastructure;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Control.Api.Features.Audit.History;

/// <summary>
/// What a change-log target filter resolved to: the streams whose events concern it, optionally only some event types on
/// them, plus event types that concern it wherever they are (a client removed from the license is the license's business
/// too).
/// </summary>
public sealed record AuditTarget(string Label, Guid[] Streams, string[]? TypesOnStreams = null, string[]? TypesAnywhere = null);

/// <summary>
/// Parses <c>kind:key</c> targets (<c>client:door</c>, <c>client:123456789</c>, <c>operator:bob</c>, <c>person:alice@example.com</c>,
/// <c>custom-client:Support</c>, <c>license</c>) and resolves them within the caller's organization.
/// </summary>
public static class AuditTargets
{
    public const string Help =
        "A target is client:ALIAS|NUMBER|ID, operator:NAME, person:EMAIL|NAME|ID, custom-client:NAME|ID, or license.";

    private static readonly string[] LicenseOrganizationTypes =
        [.. new[] { nameof(LicenseKeyIssued), nameof(LicenseKeyReset), nameof(Domain.Common.SecretRevealed) }.Select(EventTypes.Alias)];

    private static readonly string[] LicenseClientTypes = [EventTypes.Alias(nameof(Domain.Clients.ClientLicenseRemoved))];

    /// <summary>The target, or the problem to answer: 400 when it is not of the form above, 404 when nothing has that name.</summary>
    public static async Task<(AuditTarget? Target, ProblemDetails? Problem)> Resolve(IQuerySession session, string text, CancellationToken cancellation)
    {
        text = text.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? text : text[..colon]).ToLowerInvariant();
        var key = colon < 0 ? "" : text[(colon + 1)..].Trim();
        if (kind == "license" && key.Length == 0)
        {
            var organization = await session.Query<Organization>().SingleAsync(cancellation);
            return (new AuditTarget("license", [organization.Id], LicenseOrganizationTypes, LicenseClientTypes), null);
        }

        if (key.Length is 0 or > 200 || kind is not ("client" or "operator" or "person" or "custom-client"))
        {
            return (null, Problems.Field("target", Help));
        }

        switch (kind)
        {
            case "client":
                var client = await ClientLookup.Find(session, key, cancellation);
                return client is null ? (null, Problems.NotFound("client")) : (new AuditTarget(AuditLabels.Client(client.Alias, client.NumberText), [client.Id]), null);
            case "operator":
                var username = key.ToLowerInvariant();
                username = OrganizationRules.LocalName(username, session.TenantId) ?? username;
                var found = Guid.TryParse(key, out var operatorId)
                    ? await session.LoadAsync<Operator>(operatorId, cancellation)
                    : await session.Query<Operator>().FirstOrDefaultAsync(o => o.Username == username, cancellation);
                return found is null ? (null, Problems.NotFound("operator")) : (new AuditTarget("operator " + found.QualifiedName, [found.Id]), null);
            case "person":
                var person = await PersonLookup.Find(session, key, cancellation);
                if (person is null)
                {
                    return (null, Problems.NotFound("person"));
                }

                // The person's offboardings are about them: their streams join the person's own.
                var offboardings = await session.Query<Domain.Offboarding.Offboarding>().Where(o => o.PersonId == person.Id).Select(o => o.Id).ToListAsync(cancellation);
                return (new AuditTarget("person " + person.Name, [person.Id, .. offboardings]), null);
            default:
                // Names are stored in lower case; a deleted link's history is still asked about, after a live one of the same name.
                var name = key.ToLowerInvariant();
                var customClient = Guid.TryParse(key, out var customClientId)
                    ? await session.LoadAsync<CustomClient>(customClientId, cancellation)
                    : await session.Query<CustomClient>().Where(c => c.Name == name).OrderBy(c => c.Deleted).FirstOrDefaultAsync(cancellation);
                return customClient is null
                    ? (null, Problems.NotFound("custom client"))
                    : (new AuditTarget("custom client " + customClient.Name, [customClient.Id]), null);
        }
    }
}

/// <summary>The readable names of audit targets, one spelling for pages and exports.</summary>
public static class AuditLabels
{
    public static string Client(string? alias, string? number) =>
        "client " + (alias is null ? number : number is null ? alias : $"{alias} ({number})");
}

/// <summary>Marten stores <c>OperatorSignInFailed</c> as <c>operator_sign_in_failed</c>.</summary>
public static class EventTypes
{
    public static string Alias(string typeName)
    {
        var alias = new System.Text.StringBuilder(typeName.Length + 8);
        foreach (var ch in typeName)
        {
            if (char.IsUpper(ch) && alias.Length > 0)
            {
                alias.Append('_');
            }

            alias.Append(char.ToLowerInvariant(ch));
        }

        return alias.ToString();
    }

    /// <summary>The short type name from Marten's <c>mt_dotnet_type</c> (<c>Control.Domain.X.OperatorDisabled, Control.Domain</c>).</summary>
    public static string Name(string dotnetType)
    {
        var name = dotnetType.AsSpan(0, dotnetType.IndexOf(',') is var comma and >= 0 ? comma : dotnetType.Length);
        return name[(name.LastIndexOf('.') + 1)..].ToString();
    }
}
