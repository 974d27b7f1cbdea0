using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Domain.Security;

namespace Control.Domain.Tests.Offboarding;

/// <summary>The "given" of the offboarding decider's tests: an organization named acme, its clients, accounts and a leaver, Bob.</summary>
internal static class OffboardingGiven
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);
    public static readonly Actor Offboarder = Actor.System("offboarding");
    public static readonly Organization Acme = new(Guid.CreateVersion7(), "acme", "Acme", T0) { Version = 10 };
    public static readonly Operator Owner = Account("olga", OperatorRole.Owner);
    public static readonly OffboardingAuthority ByOwner = new(OperatorRole.Owner, Actor.Operator(Owner.Id, "olga", "acme"));
    public static readonly Operator BobAccount = Account("bob", OperatorRole.Technician);
    public static readonly ScramVerifier Verifier = Scram.CreateVerifier("old", new byte[16], Scram.MinimumIterations);

    public static Person Bob(params LinkedClient[] clients) => new()
    {
        Id = Guid.CreateVersion7(), OrganizationId = Acme.Id, Name = "Bob", Operators = [new LinkedOperator(BobAccount.Id, "bob@acme")], Identities = ["123456789"],
        Clients = clients, Version = 4,
    };

    public static Operator Account(string name, OperatorRole role, OperatorStatus status = OperatorStatus.Active) => new()
    {
        Id = Guid.CreateVersion7(), OrganizationId = Acme.Id, OrganizationSlug = "acme", Username = name, Role = role, Status = status, Version = 3,
        ViewerCertificates = [new IssuedViewerCertificate($"serial-{name}", T0.AddDays(30))],
    };

    public static Client Desk(string alias, bool acl = false, IReadOnlyList<string>? entries = null, bool password = false) => new()
    {
        Id = Guid.CreateVersion7(), OrganizationId = Acme.Id, OrganizationSlug = "acme", Number = Random.Shared.NextInt64(100_000_000, 999_999_999), PublicKey = "k",
        KeyFingerprint = "f", CredentialHash = "h", Alias = $"{alias}@acme", AclEnabled = acl, AclEntries = entries ?? [],
        Unattended = password ? new UnattendedState(true, false, Verifier) : UnattendedState.Off, Version = 7,
    };

    public static CustomClient Link(string name, bool isPublic, bool deleted = false) => new()
    {
        Id = Guid.CreateVersion7(), OrganizationId = Acme.Id, Name = name, Preset = ClientPreset.Open, Public = isPublic, TokenHash = "old", Deleted = deleted, Version = 2,
    };

    /// <summary>Bob knows <paramref name="secret"/> of <paramref name="subject"/> (recorded by HR).</summary>
    public static SecretKnowledge Knows(Person bob, SecretKind secret, Guid subject) => new()
    {
        Id = SecretKnowledge.KeyOf(secret, subject), Secret = secret, SubjectId = subject, Knowers = [new Knower(null, null, bob.Id, "recorded", T0)],
    };

    public static OffboardingFacts Facts(
        Person bob, OffboardingMode mode = OffboardingMode.Exposure, IReadOnlyList<SecretKnowledge>? knows = null, IReadOnlyList<Client>? clients = null,
        IReadOnlyList<Operator>? operators = null, IReadOnlyList<CustomClient>? links = null, Organization? organization = null) =>
        new(bob, knows ?? [], mode, organization ?? Acme, clients ?? [], operators ?? [Owner, BobAccount], links ?? []);

    /// <summary>A decision as the report reads it: "target:Event@version (what)" per event.</summary>
    public static string[] Then(OffboardingStepDecision decision) => Then(decision.Changes);

    public static string[] Then(IEnumerable<OffboardingStreamChange> changes) =>
        [.. changes.SelectMany(c => c.Events.Select((e, i) => $"{c.TargetKind} {c.Target}:{e.GetType().Name}@{c.FromVersion + i + 1}"))];
}
