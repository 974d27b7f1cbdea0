using System.Collections.Concurrent;
using System.Security.Cryptography;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Security;
using Microsoft.Extensions.Options;

namespace Control.Api.Features.Clients;

/// <summary>A generated unattended password and its SCRAM verifier.</summary>
public sealed record GeneratedPassword(string Password, ScramVerifier Verifier);

/// <summary>
/// Unattended passwords for mass rotations (an offboarding's step 6), with their verifiers derived ahead of need: one
/// PBKDF2 each dominated a rotation of a thousand clients, on the critical path of every change after it. A thread of the
/// lowest priority keeps up to <see cref="ControlOptions.GeneratedPasswordPool"/> of them ready in this process's memory
/// (never stored: a restart drops them), refilling once a burst of takes is over; a take beyond what is ready derives the
/// rest at once on every core. Each password is handed out once. Like Teleport's precomputed key pool: the secret is as
/// safe in this memory as the keys that unseal every sealed password, which live here too.
/// </summary>
public sealed class GeneratedPasswords : IHostedService
{
    /// <summary>Generated passwords carry ~98 random bits: SCRAM's minimum iteration count is plenty and keeps a mass rotation fast.</summary>
    public const int Iterations = Scram.MinimumIterations;

    /// <summary>Refilling waits this long after the last take, so that it never competes with the rotation's own aftermath.</summary>
    public static readonly TimeSpan RefillAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<GeneratedPassword> _ready = new();
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly int _capacity;
    private long? _lastTake;
    private bool _stopped;

    public GeneratedPasswords(IOptions<ControlOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _capacity = Math.Max(0, options.Value.GeneratedPasswordPool);
    }

    /// <summary>How many are ready now.</summary>
    public int Ready => _ready.Count;

    /// <summary><paramref name="count"/> fresh passwords: the ready ones first, the rest derived now (in parallel).</summary>
    public GeneratedPassword[] Take(int count)
    {
        var taken = new GeneratedPassword[count];
        var from = 0;
        while (from < count && _ready.TryDequeue(out var ready))
        {
            taken[from++] = ready;
        }

        if (from < count)
        {
            Parallel.For(from, count, i => taken[i] = New());
        }

        lock (_gate)
        {
            _lastTake = _clock.GetTimestamp();
            Monitor.PulseAll(_gate);
        }

        return taken;
    }

    public static GeneratedPassword New()
    {
        var password = Secrets.NewCode(5);
        return new GeneratedPassword(password, Scram.CreateVerifier(password, RandomNumberGenerator.GetBytes(16), Iterations));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_capacity > 0)
        {
            LowPriorityThread.Start("generated passwords", Fill);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        return Task.CompletedTask;
    }

    private void Fill()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                var quiet = _lastTake is { } last ? RefillAfter - _clock.GetElapsedTime(last) : TimeSpan.Zero;
                if (quiet > TimeSpan.Zero || _ready.Count >= _capacity)
                {
                    // Woken by a take (which restarts the quiet time) or by the stop; else when the quiet time is over.
                    Monitor.Wait(_gate, quiet > TimeSpan.Zero ? quiet : Timeout.InfiniteTimeSpan);
                    continue;
                }
            }

            _ready.Enqueue(New());
        }
    }
}
