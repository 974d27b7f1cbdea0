using System.Text;

namespace Control.Agent.Tests.Infrastructure;

/// <summary>The document the fake API serves, and a signal that wakes parked long polls when it changes.</summary>
internal sealed class ServedPolicy
{
    private readonly object _gate = new();
    private byte[]? _body;
    private string? _tag;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>The current body (null before anything is served), its entity tag, and a task that completes on the next change.</summary>
    public (byte[]? Body, string? Tag, Task Changed) Current()
    {
        lock (_gate)
        {
            return (_body, _tag, _changed.Task);
        }
    }

    public void Serve(long version, string json) => Wake(() =>
    {
        _body = Encoding.UTF8.GetBytes(json);
        _tag = $"\"{version}\"";
    });

    /// <summary>Wakes parked polls without changing the document: they answer 304 as if their wait had run out.</summary>
    public void Release() => Wake(() => { });

    private void Wake(Action change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            change();
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
