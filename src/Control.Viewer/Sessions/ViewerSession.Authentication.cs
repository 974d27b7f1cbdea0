using Control.Domain.Security;
using Control.Domain.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>How the viewer answers the agent's authentication questions.</summary>
/// <param name="Password">Asked only when the agent needs the unattended password.</param>
/// <param name="TotpCode">Asked only when the client has 2FA on.</param>
/// <param name="Waiting">Told when the session waits for someone at the client (attended mode).</param>
/// <param name="Login">The local account to run as on the client; null: the first its policy permits.</param>
internal sealed record SessionCredentials(
    Func<string> Password, Func<string> TotpCode, string? RememberToken, bool Remember, string? Justification, string Device, Action<string> Waiting,
    string? Login = null);

/// <summary>The session's authentication: the agent asks, in its order, for what its policy needs.</summary>
internal sealed partial class ViewerSession
{
    /// <summary>Authenticates in the order the agent asks; throws a "denied" failure when it refuses.</summary>
    public async Task<Accepted> AuthenticateAsync(SessionCredentials credentials, CancellationToken cancellation)
    {
        var message = await FirstAnswerAsync(
            new Hello(SessionProtocol.Version, credentials.Justification, credentials.RememberToken, credentials.Remember, credentials.Device, credentials.Login),
            cancellation);
        ScramClient? scram = null;
        while (true)
        {
            switch (message)
            {
                case PasswordRequired:
                    scram = new ScramClient(Agent.ClientNumber, credentials.Password());
                    await SendAsync(new ScramStart(scram.First()), cancellation);
                    break;
                case ScramChallenge challenge when scram is not null:
                    var final = scram.Respond(challenge.ServerFirst)
                        ?? throw CliException.Failure("the agent's password challenge is not acceptable (bad salt, nonce or iteration count)");
                    await SendAsync(new ScramProof(final), cancellation);
                    break;
                case ScramOutcome outcome when scram is not null:
                    if (!scram.ServerIsAuthentic(outcome.ServerFinal))
                    {
                        throw CliException.Failure("the agent could not prove it holds this client's password verifier; session abandoned");
                    }

                    break;
                case AwaitingAcceptance waiting:
                    credentials.Waiting($"Waiting up to {waiting.TimeoutSeconds} s for someone at client {Name} to accept (request {waiting.RequestId})...");
                    break;
                case TotpRequired:
                    await SendAsync(new TotpCode(credentials.TotpCode()), cancellation);
                    break;
                case Accepted accepted:
                    Acceptance = accepted;
                    return accepted;
                // The agent says only "denied", except for what the viewer can put right (a missing justification).
                case Denied { Message: var why } when why != "denied" && !string.IsNullOrWhiteSpace(why):
                    throw CliException.Failure($"denied by client {Name}: {why}");
                case Denied:
                    throw CliException.Failure($"denied by client {Name}");
                case SessionEnded ended:
                    throw CliException.Failure($"client {Name} ended the session: {ended.Message}");
                default:
                    throw CliException.Failure($"the agent sent an unexpected {message.GetType().Name} during authentication");
            }

            message = await ReceiveControlAsync(cancellation);
        }
    }
}
