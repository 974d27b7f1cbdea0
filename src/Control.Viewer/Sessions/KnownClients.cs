using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>A directory entry as the API gave it to <paramref name="Account"/> (<c>user@org on server</c>) at <paramref name="SavedAt"/>.</summary>
internal sealed record KnownClient(DirectoryEntry Entry, string Account, DateTimeOffset SavedAt);

/// <summary>
/// The directory entries this viewer looked up before (<c>known-clients.json</c>, 0600), like OpenSSH's known_hosts:
/// a session can be opened to a client seen before, pinned to the key fingerprint the directory gave then, without
/// asking the API again while the entry is fresh, or at all while the API cannot be reached. The agent still enforces
/// its policy (ACL, the viewer CA, revocations), so nothing is loosened.
/// </summary>
internal static class KnownClients
{
    private const string FileName = "known-clients.json";

    public static void Remember(CliContext context, Credentials account, string target, DirectoryEntry entry)
    {
        var store = CredentialStore.For(context);
        var known = Load(store);
        var saved = new KnownClient(entry, Account(account), context.Clock.GetUtcNow());
        foreach (var key in Keys(target, entry))
        {
            known[key] = saved;
        }

        store.WritePrivate(FileName, JsonSerializer.SerializeToUtf8Bytes(known, ViewerJson.Info<Dictionary<string, KnownClient>>(ApiClient.Json)));
    }

    /// <summary>The entry saved for <paramref name="target"/> by this account (on this server), or null.</summary>
    public static KnownClient? Find(CliContext context, Credentials account, string target) =>
        Load(CredentialStore.For(context)).GetValueOrDefault(target.Trim().ToLowerInvariant()) is { } known && known.Account == Account(account)
            ? known
            : null;

    /// <summary>Entries are per account: another organization's "desk" is another machine.</summary>
    private static string Account(Credentials credentials) => $"{credentials.QualifiedName} on {credentials.Server.ToString().TrimEnd('/')}";

    private static IEnumerable<string> Keys(string target, DirectoryEntry entry)
    {
        yield return target.Trim().ToLowerInvariant();
        yield return entry.ClientNumber;
        yield return entry.ClientId.ToString();
        if (entry.Alias is { } alias)
        {
            yield return alias;
            yield return alias.Split('@')[0];
        }
    }

    private static Dictionary<string, KnownClient> Load(CredentialStore store)
    {
        try
        {
            var known = store.ReadText(FileName) is { } text
                ? JsonSerializer.Deserialize(text, ViewerJson.Info<Dictionary<string, KnownClient>>(ApiClient.Json)) ?? []
                : [];
            // Entries in an older layout (a bare directory entry, no account) have no Entry: they are looked up again.
            return known.Where(pair => pair.Value is { Entry: not null, Account: not null }).ToDictionary();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
