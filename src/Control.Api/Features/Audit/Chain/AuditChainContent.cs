using System.Buffers.Binary;
using Npgsql;

namespace Control.Api.Features.Audit.Chain;

/// <summary>
/// The bytes the chain trigger hashes for one mt_events row, built here from the row's plain columns (read as
/// <see cref="AuditChainHash.Columns"/>) rather than by PostgreSQL: encoding 13 fields in SQL cost the server about
/// 25 µs a row, the whole budget of a fast verify. Each field is a 4-byte big-endian length and its bytes, -1 for NULL;
/// integers big-endian (int8send), uuids in RFC 4122 byte order (uuid_send), timestamps as microseconds since the Unix
/// epoch, text as UTF-8. A test compares this with the trigger on every field kind.
/// </summary>
public sealed class AuditChainContent
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    /// <summary>Bytes reserved in front of the content (the previous hash and entry number go there).</summary>
    public int Prefix { get; init; }

    public byte[] Buffer => _buffer;

    /// <summary>The prefix and the content just encoded.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>The content just encoded, without the prefix.</summary>
    public ReadOnlySpan<byte> Content => _buffer.AsSpan(Prefix, _length - Prefix);

    /// <summary>Encodes the row's fields, read from <paramref name="first"/> on, after the prefix (which is kept).</summary>
    public void Encode(NpgsqlDataReader reader, int first)
    {
        _length = Prefix;
        var fields = AuditChainHash.Fields;
        for (var i = 0; i < fields.Length; i++)
        {
            var ordinal = first + i;
            if (reader.IsDBNull(ordinal))
            {
                Reserve(4);
                BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), -1);
                _length += 4;
                continue;
            }

            switch (fields[i].Kind)
            {
                case AuditFieldKind.Int64:
                    WriteInt64(reader.GetInt64(ordinal));
                    break;
                case AuditFieldKind.Timestamp:
                    // ±infinity (Marten's tombstones) arrives as DateTime.MinValue / MaxValue, as the trigger encodes it.
                    WriteInt64(AuditChainField.UnixMicroseconds(reader.GetFieldValue<DateTime>(ordinal)));
                    break;
                case AuditFieldKind.Uuid:
                    Reserve(4 + 16);
                    BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), 16);
                    reader.GetGuid(ordinal).TryWriteBytes(_buffer.AsSpan(_length + 4), bigEndian: true, out _);
                    _length += 4 + 16;
                    break;
                default:
                    // Text read raw: the bytes the server sent, UTF-8 (the connection's encoding), no string in between.
                    var count = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
                    Reserve(4 + count);
                    BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), count);
                    reader.GetBytes(ordinal, 0, _buffer, _length + 4, count);
                    _length += 4 + count;
                    break;
            }
        }
    }

    private void WriteInt64(long value)
    {
        Reserve(4 + 8);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length + 4), value);
        _length += 4 + 8;
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + more, _buffer.Length * 2));
        }
    }
}
