using Control.Api.Features.Clients;
using Control.Api.Hosting;
using Control.Domain.Security;
using Microsoft.Extensions.Options;

namespace Control.Api.Tests.Features;

/// <summary>The pool of generated unattended passwords an offboarding's mass rotation takes from.</summary>
public class GeneratedPasswordsTests
{
    [Fact]
    public async Task The_pool_fills_in_the_background_and_a_larger_take_derives_the_rest_each_password_once_and_matching_its_verifier()
    {
        var pool = new GeneratedPasswords(Options.Create(new ControlOptions { GeneratedPasswordPool = 3 }), TimeProvider.System);
        await pool.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.Until(() => pool.Ready == 3, "three passwords ready in the pool", TimeSpan.FromSeconds(30));
            var taken = pool.Take(5);
            Assert.Equal(0, pool.Ready);
            Assert.Equal(5, taken.Select(t => t.Password).Distinct().Count());
            Assert.Equal(5, taken.Select(t => t.Verifier.Salt).Distinct().Count());
            Assert.All(taken, t =>
            {
                Assert.Equal(GeneratedPasswords.Iterations, t.Verifier.Iterations);
                var again = Scram.CreateVerifier(t.Password, Convert.FromBase64String(t.Verifier.Salt), t.Verifier.Iterations);
                Assert.Equal(t.Verifier, again);
            });

            // Refilling waits for a quiet spell after the take, so that it never competes with the rotation's aftermath.
            await Task.Delay(300);
            Assert.Equal(0, pool.Ready);
        }
        finally
        {
            await pool.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_pool_of_zero_derives_every_password_on_the_spot()
    {
        var pool = new GeneratedPasswords(Options.Create(new ControlOptions { GeneratedPasswordPool = 0 }), TimeProvider.System);
        await pool.StartAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.Equal(0, pool.Ready);
        var taken = pool.Take(2);
        Assert.Equal(2, taken.Select(t => t.Password).Distinct().Count());
        await pool.StopAsync(CancellationToken.None);
    }
}
