using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Domain.Security;
using Control.Domain.Sessions;

namespace Control.Domain.Tests.People;

/// <summary>The exposure fold (who knows a secret now), the access review and the offboarding's step ids, as pure functions.</summary>
public class ExposureAndAccessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid ClientId = Guid.NewGuid();
    private static readonly Guid BobId = Guid.NewGuid();
    private static readonly Actor Owner = Actor.Operator(Guid.NewGuid(), "owner", "acme");
    private static readonly ScramVerifier Verifier = Scram.CreateVerifier("pw", new byte[16], Scram.MinimumIterations);

    private static SecretKnowledge? Fold(params object[] events)
    {
        SecretKnowledge? state = null;
        foreach (var e in events)
        {
            state = SecretKnowledge.Evolve(state, SecretKnowledge.KeyOf(e)!, e);
        }

        return state;
    }

    private static Person Bob() => new()
    {
        Id = Guid.NewGuid(), OrganizationId = Guid.NewGuid(), Name = "Bob", Operators = [new LinkedOperator(BobId, "bob@acme")],
    };

    [Fact]
    public void A_reveal_a_password_login_and_a_token_are_knowledge_until_the_secret_is_rotated()
    {
        var bob = Bob();
        var password = Fold(
            new UnattendedPasswordSet(ClientId, Verifier, true, Owner, T0),
            new SecretRevealed(ClientId, SecretKind.UnattendedPassword, Actor.Operator(BobId, "bob", "acme"), T0),
            new SessionAuthenticated(Guid.NewGuid(), ClientId, "carol@acme", ["unattended password (SCRAM-SHA-256)"], null, T0));
        Assert.Single(password!.KnownBy(bob));
        Assert.Equal(2, password.Knowers.Count);

        // Someone else's rotation ends everybody's knowledge; an operator who typed the new one knows it.
        var rotated = SecretKnowledge.Evolve(password, password.Id, new UnattendedPasswordSet(ClientId, Verifier, false, Owner, T0.AddHours(1)))!;
        Assert.Empty(rotated.KnownBy(bob));
        Assert.Equal("owner@acme", Assert.Single(rotated.Knowers).Alias);

        // A remember-token: revoking it alone ends that knowledge; a login by token teaches no password.
        var tokens = Fold(
            new RememberTokenIssued(Guid.NewGuid(), ClientId, "bob@acme", "t1", "laptop", 0, T0),
            new RememberTokenIssued(Guid.NewGuid(), ClientId, "bob@acme", "t2", "phone", 0, T0))!;
        Assert.Equal(2, tokens.KnownBy(bob).Count());
        Assert.Single(SecretKnowledge.Evolve(tokens, tokens.Id, new RememberTokenRevoked(ClientId, "t1", Owner, T0))!.KnownBy(bob));
        Assert.Empty(SecretKnowledge.Evolve(tokens, tokens.Id, new TokensCleared(ClientId, 1, Owner, T0))!.KnownBy(bob));
        Assert.Null(SecretKnowledge.KeyOf(new SessionAuthenticated(Guid.NewGuid(), ClientId, "bob@acme", ["remember-token t1"], "t1", T0)));
    }

    [Fact]
    public void Knowledge_recorded_for_a_person_counts_whatever_accounts_they_have()
    {
        var bob = Bob();
        var orgId = Guid.NewGuid();
        var key = Fold(new PersonKnowledgeRecorded(bob.Id, orgId, SecretKind.LicenseKey, "the license key", Owner, T0))!;
        Assert.Equal(SecretKind.LicenseKey, key.Secret);
        Assert.Single(key.KnownBy(bob));
        Assert.Empty(SecretKnowledge.Evolve(key, key.Id, new LicenseKeyReset(orgId, "hash", Owner, T0))!.KnownBy(bob));
    }

    [Fact]
    public void The_access_review_follows_the_acl_the_methods_and_the_account()
    {
        var organization = new Organization(Guid.NewGuid(), "acme", "Acme", T0);
        var bob = new Operator
        {
            Id = BobId, OrganizationId = organization.Id, OrganizationSlug = "acme", Username = "bob", Role = OperatorRole.Technician, Status = OperatorStatus.Active,
        };
        Client Make(string alias, bool acl, params string[] entries) => Client.Start(new ClientEnrolled(
            Guid.NewGuid(), organization.Id, "acme", 100_000_001, "key", "fp", "hash", alias, null, null, Owner, T0)) with
        {
            AclEnabled = acl, AclEntries = entries, Unattended = new UnattendedState(true, false, Verifier),
        };
        var open = Make("open@acme", false);
        var named = Make("named@acme", true, "bob@acme");
        var wildcard = Make("team@acme", true, "*@acme");
        var closed = Make("closed@acme", true, "carol@acme");
        var exclusive = Make("vault@acme", true, "bob@acme") with { Unattended = new UnattendedState(true, true, Verifier) };
        var person = Bob();
        var knowledge = Fold(new SecretRevealed(named.Id, SecretKind.UnattendedPassword, Actor.Operator(BobId, "bob", "acme"), T0))!;

        var review = new AccessReview(organization, [open, named, wildcard, closed, exclusive], [bob], [person], [knowledge]);
        var paths = review.ReachableBy(person).ToDictionary(p => p.Client);
        Assert.Equal(["named@acme", "open@acme", "team@acme"], paths.Keys.Order().ToArray());
        Assert.Contains("unattended password (known)", paths["named@acme"].Methods);
        Assert.Equal("ACL entry *@acme", paths["team@acme"].AdmittedBy);
        Assert.Equal("access control list off", paths["open@acme"].AdmittedBy);
        Assert.Single(review.WildcardsMatching(person));

        // A disabled account reaches nothing (no viewer certificate), whatever the ACLs say.
        var disabled = new AccessReview(organization, [open, named, wildcard], [bob with { Status = OperatorStatus.Disabled }], [person], [knowledge]);
        Assert.Empty(disabled.ReachableBy(person));
        Assert.Empty(disabled.WhoCanReach(open));
    }

    [Fact]
    public void Step_ids_are_deterministic_per_offboarding_and_step()
    {
        var id = Guid.NewGuid();
        Assert.Equal(OffboardingSteps.StepId(id, 3), OffboardingSteps.StepId(id, 3));
        Assert.NotEqual(OffboardingSteps.StepId(id, 3), OffboardingSteps.StepId(id, 4));
        Assert.NotEqual(OffboardingSteps.StepId(id, 3), OffboardingSteps.StepId(Guid.NewGuid(), 3));
        Assert.Equal(7, OffboardingSteps.All.Count);
    }

    [Fact]
    public void A_person_is_offboarded_once_and_links_are_idempotent()
    {
        var person = Bob();
        Assert.Empty(PersonDecider.Decide(new LinkOperator(BobId, "bob@acme"), person, Owner, T0).Events);
        Assert.True(PersonDecider.Decide(new LinkIdentity("*@acme"), person, Owner, T0).IsRefused);
        var offboardingId = Guid.NewGuid();
        var started = Person.Evolve(person, PersonDecider.Decide(new StartOffboarding(offboardingId), person, Owner, T0).Events.Single())!;
        Assert.Equal(RefusalKind.Conflict, PersonDecider.Decide(new StartOffboarding(Guid.NewGuid()), started, Owner, T0).Refusal!.Kind);
        var done = Person.Evolve(started, PersonDecider.Decide(new CompleteOffboarding(offboardingId, []), started, Owner, T0).Events.Single())!;
        Assert.Equal(["bob@acme"], done.ReleasedAliases);
        Assert.Equal("person.offboarded", PersonDecider.Decide(new StartOffboarding(Guid.NewGuid()), done, Owner, T0).Refusal!.Code);
        Assert.Empty(PersonDecider.Decide(new CompleteOffboarding(offboardingId, []), done, Owner, T0).Events);
    }
}
