using System.Text;
using Control.Domain.Security;

namespace Control.Domain.Tests.Security;

public class ScramTests
{
    // RFC 7677 section 3: user "user", password "pencil".
    private const string ClientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO";
    private const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string ClientFinalWithoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ExpectedProof = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string ExpectedServerSignature = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
    private static readonly byte[] Salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");

    [Fact]
    public void Rfc7677_exchange_is_reproduced_on_both_sides()
    {
        var authMessage = Scram.AuthMessage(ClientFirstBare, ServerFirst, ClientFinalWithoutProof);
        var salted = Scram.SaltedPassword("pencil", Salt, 4096);

        Assert.Equal(ExpectedProof, Convert.ToBase64String(Scram.ClientProof(salted, authMessage)));
        Assert.Equal(ExpectedServerSignature, Convert.ToBase64String(Scram.ServerSignature(salted, authMessage)));

        // The server side, from the verifier alone.
        var verifier = Scram.CreateVerifier("pencil", Salt, 4096);
        Assert.True(Scram.VerifyClientProof(verifier, authMessage, Convert.FromBase64String(ExpectedProof)));
        Assert.Equal(ExpectedServerSignature, Convert.ToBase64String(Scram.ServerSignature(verifier, authMessage)));
    }

    [Fact]
    public void Wrong_password_or_a_proof_for_another_exchange_is_refused()
    {
        var verifier = Scram.CreateVerifier("pencil", Salt, 4096);
        var authMessage = Scram.AuthMessage(ClientFirstBare, ServerFirst, ClientFinalWithoutProof);
        var wrong = Scram.ClientProof(Scram.SaltedPassword("pencil2", Salt, 4096), authMessage);
        Assert.False(Scram.VerifyClientProof(verifier, authMessage, wrong));

        var replayedElsewhere = Scram.ClientProof(Scram.SaltedPassword("pencil", Salt, 4096), authMessage.Replace("rOpr", "xOpr", StringComparison.Ordinal));
        Assert.False(Scram.VerifyClientProof(verifier, authMessage, replayedElsewhere));
        Assert.False(Scram.VerifyClientProof(verifier, authMessage, new byte[5]));
    }

    [Fact]
    public void The_verifier_holds_neither_the_password_nor_the_client_key()
    {
        var verifier = Scram.CreateVerifier("correct horse battery staple", Encoding.ASCII.GetBytes("0123456789abcdef"));
        Assert.Equal(Scram.DefaultIterations, verifier.Iterations);
        Assert.DoesNotContain("horse", verifier.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Scram.CreateVerifier("x", new byte[16], 1000));
    }
}
