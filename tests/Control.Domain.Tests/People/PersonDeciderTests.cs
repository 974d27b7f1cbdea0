using Control.Domain.Common;
using Control.Domain.People;

namespace Control.Domain.Tests.People;

/// <summary>The rules of the HR record, as given events / when a command / then events or a refusal.</summary>
public class PersonDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly Guid OffboardingId = Guid.CreateVersion7();
    private static readonly Actor Hr = Actor.Operator(Guid.CreateVersion7(), "hr", "acme");

    private static DeciderSpec<Person> Spec => new(Person.Evolve);

    private static PersonAdded Added() => new(Id, Guid.CreateVersion7(), "Bob Leaver", "bob@example.com", Hr, T0);

    private static Decision Decide(object command, Person person) => PersonDecider.Decide(command, person, Hr, T0);

    [Fact]
    public void AddPerson_WithoutAName_IsRefused()
    {
        var refusal = PersonDecider.Decide(new AddPerson(Id, Guid.CreateVersion7(), "  ", null), Hr, T0).Refusal;
        Assert.Equal("person.name_invalid", refusal?.Code);
    }

    [Fact]
    public void LinkIdentity_Twice_IsANoOp_AndAPatternIsRefused()
    {
        Spec.Given(Added()).When(p => Decide(new LinkIdentity("bob@acme"), p)).Then(new PersonIdentityLinked(Id, "bob@acme", Hr, T0));
        Spec.Given(Added(), new PersonIdentityLinked(Id, "bob@acme", Hr, T0)).When(p => Decide(new LinkIdentity("bob@acme"), p)).ThenNothing();
        Spec.Given(Added()).When(p => Decide(new LinkIdentity("*@acme"), p)).ThenRefused("person.identity_invalid");
    }

    [Fact]
    public void StartOffboarding_WhileOneRuns_IsRefused()
    {
        Spec.Given(Added()).When(p => Decide(new StartOffboarding(OffboardingId), p)).Then(new PersonOffboardingStarted(Id, OffboardingId, Hr, T0));
        Spec.Given(Added(), new PersonOffboardingStarted(Id, OffboardingId, Hr, T0))
            .When(p => Decide(new StartOffboarding(Guid.CreateVersion7()), p))
            .ThenRefused("person.offboarding_running", RefusalKind.Conflict);
    }

    [Fact]
    public void CancelOffboarding_OfAnotherOffboarding_IsANoOp() =>
        Spec.Given(Added(), new PersonOffboardingStarted(Id, OffboardingId, Hr, T0)).When(p => Decide(new CancelOffboarding(Guid.CreateVersion7()), p)).ThenNothing();

    [Fact]
    public void CompleteOffboarding_ReleasesEveryAliasButTheKeptOnes_ThenTheRecordIsClosed()
    {
        var given = new object[]
        {
            Added(), new PersonIdentityLinked(Id, "bob@acme", Hr, T0), new PersonIdentityLinked(Id, "bob-admin@acme", Hr, T0),
            new PersonOffboardingStarted(Id, OffboardingId, Hr, T0),
        };
        var after = Spec.Given(given).When(p => Decide(new CompleteOffboarding(OffboardingId, ["bob-admin@acme"]), p))
            .Then(new PersonOffboarded(Id, OffboardingId, ["bob@acme"], Hr, T0));
        Assert.Equal(PersonStatus.Offboarded, after.Status);
        Spec.Given([.. given, new PersonOffboarded(Id, OffboardingId, ["bob@acme"], Hr, T0)])
            .When(p => Decide(new LinkIdentity("bob2@acme"), p))
            .ThenRefused("person.offboarded", RefusalKind.Conflict);
        Spec.Given([.. given, new PersonOffboarded(Id, OffboardingId, ["bob@acme"], Hr, T0)])
            .When(p => Decide(new CompleteOffboarding(OffboardingId, []), p))
            .ThenNothing();
    }
}
