using System.Security.Cryptography;
using System.Text;
using Control.Domain.Security;

namespace Control.Agent.Storage;

/// <summary>The client's own ECDSA P-256 key: the server knows its public half from enrolment; receipts are signed with it.</summary>
internal static class AgentKey
{
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string PublicKey(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    /// <summary>PKCS#8 PEM; the intermediate buffers are cleared so the key is not left in freed memory.</summary>
    public static byte[] ToPem(ECDsa key)
    {
        var der = key.ExportPkcs8PrivateKey();
        var pem = PemEncoding.Write("PRIVATE KEY", der);
        try
        {
            return Encoding.ASCII.GetBytes(pem);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            Array.Clear(pem);
        }
    }

    /// <summary>Loads <c>agent.key</c> and checks it is the key this client enrolled with (its fingerprint is in agent.json).</summary>
    public static ECDsa Load(StateDirectory state, Enrolment enrolment)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(state.KeyFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw AgentFailure.Error($"{state.KeyFile} is missing; enrol again: control-agent enroll --force --server URL --token TOKEN");
        }
        catch (UnauthorizedAccessException)
        {
            throw AgentFailure.Error($"cannot read {state.KeyFile}: permission denied (run the agent as the user that enrolled it)");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (PolicySignature.Fingerprint(PublicKey(key)) != enrolment.KeyFingerprint)
            {
                throw AgentFailure.Error(
                    $"{state.KeyFile} is not the key this client enrolled with (fingerprint {enrolment.KeyFingerprint}); enrol again with --force");
            }

            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw AgentFailure.Error($"{state.KeyFile} is not a readable private key; enrol again with --force");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
