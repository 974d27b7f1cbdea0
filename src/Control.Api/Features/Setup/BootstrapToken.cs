using Control.Api.Hosting;
using Control.Domain.Common;
using Marten;
using Microsoft.Extensions.Options;

namespace Control.Api.Features.Setup;

/// <summary>
/// On a start with no organization, makes sure a one-time bootstrap token exists: its hash in PostgreSQL (so any
/// API process can check it), the token itself in <c>{DataDirectory}/bootstrap-token</c> (0600) for the admin who
/// runs the server. A token already on disk that still matches is kept, so restarts do not invalidate it.
/// </summary>
public sealed class BootstrapToken(IDocumentStore store, IOptions<ControlOptions> options, TimeProvider clock, ILogger<BootstrapToken> logger)
    : IHostedService
{
    public const string FileName = "bootstrap-token";

    public string TokenPath => Path.GetFullPath(Path.Combine(options.Value.DataDirectory, FileName));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var anyOrganization = await session.Query<OrganizationRegistration>().AnyAsync(cancellationToken);
        if (anyOrganization)
        {
            return;
        }

        var state = await session.LoadAsync<BootstrapState>(BootstrapState.SingletonId, cancellationToken);
        var onDisk = File.Exists(TokenPath) ? (await File.ReadAllTextAsync(TokenPath, cancellationToken)).Trim() : null;
        if (state is { UsedAt: null } && onDisk is not null && Secrets.TokenMatches(onDisk, state.TokenHash))
        {
            Announce();
            return;
        }

        var token = Secrets.NewToken();
        state ??= new BootstrapState();
        state.TokenHash = Secrets.HashToken(token);
        state.CreatedAt = clock.GetUtcNow();
        state.UsedAt = null;
        session.Store(state);
        await session.SaveChangesAsync(cancellationToken);

        Directory.CreateDirectory(Path.GetDirectoryName(TokenPath)!);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(TokenPath, fileOptions))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(token);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(TokenPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Announce();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After setup the token is useless; remove it from disk too.</summary>
    public void Forget()
    {
        try
        {
            File.Delete(TokenPath);
        }
        catch (IOException e)
        {
            logger.LogWarning("Could not delete the used bootstrap token file {Path}: {Message}", TokenPath, e.Message);
        }
    }

    private void Announce() =>
        logger.LogWarning(
            "No organization exists yet. A one-time bootstrap token is in {Path} (mode 0600). Create the first organization with: control setup --server <url> --token-file {Path}",
            TokenPath, TokenPath);
}
