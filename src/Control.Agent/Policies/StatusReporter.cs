using Control.Agent.Storage;

namespace Control.Agent.Policies;

/// <summary>
/// Keeps <c>status.json</c> current and logs each change of connection state once: a line when the agent goes
/// offline, one when it is back, never one per retry.
/// </summary>
internal sealed class StatusReporter
{
    private readonly StateDirectory _state;
    private readonly TextWriter _output;
    private readonly TextWriter _errors;
    private readonly TimeProvider _clock;
    private readonly string _server;
    private AgentStatus _status;
    private AgentStatus? _saved;
    private bool _everOnline;

    public StatusReporter(StateDirectory state, string server, TextWriter output, TextWriter errors, TimeProvider clock)
    {
        _state = state;
        _server = server;
        _output = output;
        _errors = errors;
        _clock = clock;
        var previous = AgentStatus.Read(state) ?? AgentStatus.Initial;
        _status = previous with { State = AgentStatus.Starting, Since = clock.GetUtcNow(), Pid = Environment.ProcessId };
        Save();
    }

    public long? AcknowledgedVersion => _status.AcknowledgedVersion;

    /// <summary>The server answered (with anything but a 5xx); <paramref name="credentialAccepted"/> is false on a 401.</summary>
    public void Reached(bool credentialAccepted, string inForce)
    {
        var now = _clock.GetUtcNow();
        if (_status.State != AgentStatus.Online)
        {
            _output.WriteLine(_everOnline || _status.State == AgentStatus.Offline
                ? $"online again: {_server} answers (offline since {_status.Since:u})"
                : $"online: {_server} answers");
            _status = _status with { State = AgentStatus.Online, Since = now };
            _everOnline = true;
        }

        if (!credentialAccepted && !_status.CredentialRefused)
        {
            _errors.WriteLine($"credential refused: the server does not accept this agent's credential (revoked or unknown); {inForce} stays in force; "
                + "to rejoin, enrol again: control-agent enroll --force --server URL --token TOKEN");
        }
        else if (credentialAccepted && _status.CredentialRefused)
        {
            _output.WriteLine("credential accepted again");
        }

        _status = _status with { LastContactAt = now, CredentialRefused = !credentialAccepted };
        Save();
    }

    public void Unreachable(string reason, string inForce)
    {
        if (_status.State != AgentStatus.Offline)
        {
            _errors.WriteLine($"offline: {reason}; {inForce} stays in force; retrying with backoff");
            _status = _status with { State = AgentStatus.Offline, Since = _clock.GetUtcNow() };
        }

        Problem(reason);
    }

    /// <summary>Records the latest error (its time only when the message changes); true when it is a new one.</summary>
    public bool Problem(string message)
    {
        var isNew = message != _status.LastError;
        if (isNew)
        {
            _status = _status with { LastError = message, LastErrorAt = _clock.GetUtcNow() };
        }

        Save();
        return isNew;
    }

    public void Acknowledged(long version)
    {
        _status = _status with { AcknowledgedVersion = version };
        Save();
    }

    public void Stopped()
    {
        _status = _status with { State = AgentStatus.Stopped, Since = _clock.GetUtcNow() };
        Save();
    }

    private void Save()
    {
        if (_status == _saved)
        {
            return;
        }

        _saved = _status;
        try
        {
            (_status with { UpdatedAt = _clock.GetUtcNow() }).Write(_state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The status file only describes; failing to write it must not stop enforcement.
            _errors.WriteLine($"cannot write {_state.StatusFile}: {e.Message}");
        }
    }
}
