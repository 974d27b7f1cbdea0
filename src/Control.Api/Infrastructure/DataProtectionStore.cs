using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Control.Api.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Infrastructure;

/// <summary>
/// ASP.NET Core Data Protection's key ring, kept in PostgreSQL so that every API process shares it and a restart
/// loses nothing. The keys themselves are encrypted with a key derived from the master key (outside the database).
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource database, IOptions<ControlOptions> options) : IXmlRepository
{
    private readonly string _table = $"{options.Value.DatabaseSchema}.data_protection_keys";
    private volatile bool _ready;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureTable();
        using var command = database.CreateCommand($"select xml from {_table} order by created_at");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        EnsureTable();
        using var command = database.CreateCommand($"insert into {_table} (friendly_name, xml) values ($1, $2) on conflict (friendly_name) do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    private void EnsureTable()
    {
        if (_ready)
        {
            return;
        }

        using var command = database.CreateCommand(
            $"create schema if not exists {options.Value.DatabaseSchema}; " +
            $"create table if not exists {_table} (friendly_name text primary key, xml text not null, created_at timestamptz not null default now())");
        try
        {
            command.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
        {
            // Another process created it at the same moment.
        }

        _ready = true;
    }
}

/// <summary>Encrypts Data Protection keys at rest with AES-256-GCM under a master-key-derived key.</summary>
public sealed class MasterKeyXmlEncryptor(KeyRing keys) : IXmlEncryptor
{
    internal const string Purpose = "data-protection-key-encryption/v1";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(keys.Derive(Purpose), 16))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        var element = new XElement("encryptedKey",
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = services.GetRequiredService<KeyRing>();
        var nonce = Convert.FromBase64String(encryptedElement.Element("nonce")!.Value);
        var tag = Convert.FromBase64String(encryptedElement.Element("tag")!.Value);
        var ciphertext = Convert.FromBase64String(encryptedElement.Element("value")!.Value);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(keys.Derive(MasterKeyXmlEncryptor.Purpose), 16);
        aes.Decrypt(nonce, ciphertext, tag, plaintext);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
