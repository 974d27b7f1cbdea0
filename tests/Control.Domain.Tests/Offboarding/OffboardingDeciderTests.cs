using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using static Control.Domain.Tests.Offboarding.OffboardingGiven;

namespace Control.Domain.Tests.Offboarding;

/// <summary>Given the person, their exposure, the organization's state and the mode; when a step is decided; then its changes per stream and its notes.</summary>
public class OffboardingDeciderTests
{
    [Fact]
    public void Step1_TheirClients_AreRemoved_AndOneRemovedBefore_IsANote()
    {
        var laptop = Desk("laptop");
        var bob = Bob(new LinkedClient(laptop.Id, "laptop@acme"), new LinkedClient(Guid.CreateVersion7(), "old-phone@acme"));

        var decision = OffboardingDecider.RemoveTheirClients(Facts(bob, clients: [laptop, Desk("door")]), Offboarder, T0);

        Assert.Equal(["client laptop@acme:ClientRemoved@8"], Then(decision));
        Assert.Equal(["old-phone@acme was removed before"], decision.Notes);
    }

    [Fact]
    public void Step2_TheirAccount_IsDisabledWithItsCertificates_AndASharedPasswordTheyKnew_IsReset()
    {
        var shared = Account("shared", OperatorRole.Technician);
        var gone = Account("gone", OperatorRole.Technician, OperatorStatus.Disabled);
        var bob = Bob();
        var facts = Facts(bob, knows: [Knows(bob, SecretKind.OperatorPassword, shared.Id), Knows(bob, SecretKind.OperatorPassword, gone.Id)], operators: [Owner, BobAccount, shared, gone]);

        var atStake = OffboardingDecider.AccountsToChange(facts);
        var decision = OffboardingDecider.DisableAccountsAndResetPortalPasswords(atStake, Acme, 2, ["code-hash"], ByOwner, Offboarder, T0);

        Assert.Equal([BobAccount], atStake.Theirs);
        Assert.Equal([shared], atStake.Shared);
        Assert.Equal(
            ["operator bob@acme:OperatorDisabled@4", "organization acme:ViewerCertificatesRevoked@11", "operator shared@acme:OperatorPasswordReset@4"],
            Then(decision));
        Assert.Empty(decision.Notes);
    }

    [Fact]
    public void Step2_TheLastActiveOwner_IsNotDisabled_ItIsANote_AndItsCertificatesStay()
    {
        var bob = Bob() with { Operators = [new LinkedOperator(Owner.Id, "olga@acme")] };
        var byAnotherOwner = new OffboardingAuthority(OperatorRole.Owner, Actor.Operator(Guid.CreateVersion7(), "zoe", "acme"));

        var decision = OffboardingDecider.DisableAccountsAndResetPortalPasswords(
            OffboardingDecider.AccountsToChange(Facts(bob)), Acme, 1, [], byAnotherOwner, Offboarder, T0);

        Assert.Empty(decision.Changes);
        Assert.Contains("last active owner", Assert.Single(decision.Notes));
    }

    public static TheoryData<string, OffboardingMode, bool, string[], int> LicenseKeyCases => new()
    {
        { "exposure, unknown key: left as it is", OffboardingMode.Exposure, false, [], 0 },
        { "exposure, they knew it: reset and sealed", OffboardingMode.Exposure, true, ["organization acme:LicenseKeyReset@11"], 1 },
        { "full: reset whatever they knew", OffboardingMode.Full, false, ["organization acme:LicenseKeyReset@11"], 1 },
    };

    [Theory]
    [MemberData(nameof(LicenseKeyCases))]
    public void Step3_TheLicenseKey(string scenario, OffboardingMode mode, bool knewIt, string[] then, int sealedSecrets)
    {
        var bob = Bob();
        var facts = Facts(bob, mode, knows: knewIt ? [Knows(bob, SecretKind.LicenseKey, Acme.Id)] : []);

        var decision = OffboardingDecider.ResetLicenseKey(facts, "ctl-lk-acme.new", Offboarder, T0);

        Assert.True(then.SequenceEqual(Then(decision)), scenario);
        Assert.Equal(sealedSecrets, decision.Sealed.Count);
        if (sealedSecrets == 0)
        {
            Assert.Equal(["they did not know the current license key: left as it is"], decision.Notes);
            return;
        }

        Assert.Equal(new OffboardingSealedSecret(SecretKnowledge.KeyOf(SecretKind.LicenseKey, Acme.Id), "ctl-lk-acme.new"), decision.Sealed[0]);
        Assert.Equal(Secrets.HashToken("ctl-lk-acme.new"), Assert.IsType<LicenseKeyReset>(decision.Changes[0].Events[0]).KeyHash);
    }

    [Fact]
    public void Step4_LinksTheyKnew_AreMadePrivateAndRotated_FullModeTakesEveryPublicOne()
    {
        var known = Link("known", isPublic: false);
        var open = Link("open", isPublic: true);
        var deleted = Link("deleted", isPublic: true, deleted: true);
        var bob = Bob();
        var facts = Facts(bob, knows: [Knows(bob, SecretKind.CustomClientLink, known.Id)], links: [known, open, deleted]);

        Assert.Equal([known], OffboardingDecider.LinksToRotate(facts));
        Assert.Equal([known, open], OffboardingDecider.LinksToRotate(facts with { Mode = OffboardingMode.Full }));
        var decision = OffboardingDecider.MakeCustomClientLinksPrivate([known, open], ["t1", "t2"], Offboarder, T0);
        Assert.Equal(["custom-client open:CustomClientVisibilitySet@3", "custom-client open:CustomClientTokenRotated@4"], Then(decision).Where(c => c.Contains("open")).ToArray());
        Assert.Contains("custom-client known:CustomClientTokenRotated@3", Then(decision));
        Assert.Equal(["no custom-client link to rotate"], OffboardingDecider.MakeCustomClientLinksPrivate([], [], Offboarder, T0).Notes);
    }

    [Fact]
    public void Step5_TokensAreCleared_OnlyWhereTheyHoldARememberToken()
    {
        var till = Desk("till");
        var door = Desk("door");
        var bob = Bob();

        var decision = OffboardingDecider.ClearAllTokens(Facts(bob, knows: [Knows(bob, SecretKind.RememberToken, till.Id)], clients: [till, door]), Offboarder, T0);

        Assert.Equal(["client till@acme:TokensCleared@8"], Then(decision));
    }

    [Fact]
    public void Step6_ExposureChangesThePasswordsTheyKnow_FullModeEveryOneTheyCouldReach()
    {
        var known = Desk("known", acl: true, entries: ["someone@acme"], password: true);
        var open = Desk("open", password: true);
        var team = Desk("team", acl: true, entries: ["*@acme"], password: true);
        var byNumber = Desk("by-number", acl: true, entries: ["123456789"], password: true);
        var other = Desk("other", acl: true, entries: ["someone@acme"], password: true);
        var noPassword = Desk("no-password");
        var bob = Bob();
        var facts = Facts(bob, knows: [Knows(bob, SecretKind.UnattendedPassword, known.Id)], clients: [known, open, team, byNumber, other, noPassword]);

        Assert.Equal([known], OffboardingDecider.PasswordsToChange(facts));
        Assert.Equal([known, open, team, byNumber], OffboardingDecider.PasswordsToChange(facts with { Mode = OffboardingMode.Full }));
        var decision = OffboardingDecider.ChangeUnattendedAccessPasswords([known], [("new-password", Verifier)], Offboarder, T0);
        Assert.Equal(["client known@acme:UnattendedPasswordSet@8"], Then(decision));
        Assert.True(Assert.IsType<UnattendedPasswordSet>(decision.Changes[0].Events[0]).Generated);
        Assert.Equal(new OffboardingSealedSecret(SecretKnowledge.KeyOf(SecretKind.UnattendedPassword, known.Id), "new-password"), Assert.Single(decision.Sealed));
    }

    [Fact]
    public void Step7_EveryEntryNamingThem_IsRemoved_OneChangePerClient()
    {
        var door = Desk("door", acl: true, entries: ["bob@acme", "123456789", "carol@acme"]);
        var kiosk = Desk("kiosk", acl: true, entries: ["*@acme"]);

        var changes = OffboardingDecider.RemoveFromClientAcls(Bob(), [door, kiosk], Offboarder, T0);

        Assert.Equal(["client door@acme:AclEntryRemoved@8", "client door@acme:AclEntryRemoved@9"], Then(changes));
        Assert.Equal("removed from the access control list", Assert.Single(changes).What);
    }

    [Fact]
    public void Step7_TheLastBatch_RemovesOrganizationWideEntries_AndReportsWildcardsAndKeptAliases()
    {
        var organization = Acme with { AclEntries = ["bob@acme", "*@acme", "carol@acme"] };
        var kiosk = Desk("kiosk", acl: true, entries: ["bo*@acme"]);

        var decision = OffboardingDecider.FinishAccessControlLists(Bob(), organization, [kiosk], ["olga@acme"], Offboarder, T0);

        Assert.Equal(["organization acme:OrganizationAclEntryRemoved@11"], Then(decision));
        Assert.Equal(
            [
                "wildcard *@acme on organization-wide matches bob@acme: left in place; the alias is released (account disabled, certificates revoked, no new certificate for it)",
                "wildcard bo*@acme on kiosk@acme matches bob@acme: left in place; the alias is released (account disabled, certificates revoked, no new certificate for it)",
                "olga@acme: left in every access control list and not released: the offboarding could not change the account",
            ],
            decision.Notes);
    }

    [Fact]
    public void Step7_AnAccountTheOffboardingCannotChange_KeepsItsAlias_AndTheRecordClosesWithTheRest()
    {
        var bob = Bob() with { Operators = [new LinkedOperator(BobAccount.Id, "bob@acme"), new LinkedOperator(Owner.Id, "olga@acme")] };
        var byHr = new OffboardingAuthority(OperatorRole.Hr, Actor.Operator(Guid.CreateVersion7(), "hannah", "acme"));

        var (within, kept) = OffboardingDecider.WithinAuthority(bob, [Owner, BobAccount], byHr, Offboarder, T0);
        var close = OffboardingDecider.ClosePersonRecord(bob, Guid.CreateVersion7(), kept, Offboarder, T0);

        Assert.Equal(["olga@acme"], kept);
        Assert.Equal(["bob@acme", "123456789"], within.AclIdentities());
        Assert.Equal(["person Bob:PersonOffboarded@5"], Then(close));
        Assert.Equal(["bob@acme", "123456789"], Assert.IsType<PersonOffboarded>(close.Changes[0].Events[0]).ReleasedAliases);
        Assert.Empty(OffboardingDecider.ClosePersonRecord(bob with { Status = PersonStatus.Offboarded }, Guid.CreateVersion7(), kept, Offboarder, T0).Changes);
    }

    [Fact]
    public void ExposureOf_IsTheSecretsThePersonIsAmongTheKnowersOf()
    {
        var bob = Bob();
        var theirs = Knows(bob, SecretKind.LicenseKey, Acme.Id);
        var someoneElses = Knows(Bob(), SecretKind.UnattendedPassword, Guid.CreateVersion7());

        Assert.Equal([theirs], OffboardingDecider.ExposureOf(bob, [theirs, someoneElses]));
    }
}
