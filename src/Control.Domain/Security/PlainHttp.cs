namespace Control.Domain.Security;

/// <summary>
/// The rule the agent and the CLI share for the API's address: plain http only to this machine (a loopback address or
/// <c>localhost</c>), unless the person running them insists. Over plain http to another machine, what crosses the network
/// (a license key and an agent's credential; an operator's password, codes and tokens) can be read and changed on the way.
/// </summary>
public static class PlainHttp
{
    public static bool ToAnotherMachine(Uri server) => server.Scheme == Uri.UriSchemeHttp && !server.IsLoopback;
}
