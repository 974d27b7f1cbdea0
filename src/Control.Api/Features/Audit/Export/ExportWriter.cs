using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Control.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Control.Api.Features.Audit.Export;

public enum ExportFormat
{
    Csv,
    JsonLines,
}

public static class ExportFormats
{
    public static (ExportFormat Format, ProblemDetails? Problem) Parse(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "csv" => (ExportFormat.Csv, null),
        "jsonl" or "ndjson" => (ExportFormat.JsonLines, null),
        _ => (default, Problems.Field("format", "The format is csv or jsonl.")),
    };
}

/// <summary>
/// An export as a response: headers first, then rows written to the response body as the reader yields them. Problems
/// (bad filters) are answered before this result exists; a failure midway aborts the response, so a client never takes a
/// truncated export for a complete one.
/// </summary>
public sealed class ExportResult(ExportFormat format, string name, Func<ExportWriter, CancellationToken, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = format == ExportFormat.Csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8";
        httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.{(format == ExportFormat.Csv ? "csv" : "jsonl")}\"";
        httpContext.Response.Headers.CacheControl = "no-store";
        var writer = new ExportWriter(httpContext.Response.BodyWriter);
        await write(writer, httpContext.RequestAborted);
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>
/// UTF-8 rows into the response pipe: CSV fields quoted per RFC 4180 (CRLF line ends), or raw bytes for JSON Lines. Rows
/// are gathered in a buffer of its own and handed to the response 64 KiB at a time: the response pipe takes a lock
/// for every span asked of it, a dozen times a row when written field by field. A buffered writer (no response) holds
/// a whole chunk, which <see cref="Append"/> later copies to the response.
/// </summary>
public sealed class ExportWriter(PipeWriter? output)
{
    private const int BytesPerFlush = 64 * 1024;
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");
    private readonly ArrayBufferWriter<byte> _buffer = new(2 * BytesPerFlush);
    private bool _rowStarted;

    /// <summary>Where a JSON line is written before <see cref="EndJsonLine"/>.</summary>
    public IBufferWriter<byte> Output => _buffer;

    public void CsvHeader(IEnumerable<string> columns)
    {
        foreach (var column in columns)
        {
            Csv(column);
        }

        _buffer.Write("\r\n"u8);
        _rowStarted = false;
    }

    /// <summary>
    /// A text field. One that begins with <c>= + - @</c>, a tab or a carriage return gets a leading <c>'</c> (OWASP's
    /// rule against CSV injection): a spreadsheet would otherwise run a justification like <c>=HYPERLINK(...)</c> as a formula.
    /// </summary>
    public void Csv(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (FormulaStart.Contains(value[0]))
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
            _buffer.Advance(Encoding.UTF8.GetBytes(value, span));
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            Quoted(rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A field that is already UTF-8 (an event body): always quoted, its quotes doubled.</summary>
    public void Csv(ReadOnlySpan<byte> utf8)
    {
        Separator();
        Quoted(utf8);
    }

    public void Csv<T>(T? value)
        where T : struct, IUtf8SpanFormattable
    {
        Separator();
        if (value is { } v)
        {
            // Times in the round-trip format ("O"); numbers and GUIDs in their invariant defaults.
            var span = _buffer.GetSpan(64);
            v.TryFormat(span, out var written, typeof(T) == typeof(DateTimeOffset) ? "O" : default, CultureInfo.InvariantCulture);
            _buffer.Advance(written);
        }
    }

    public void Csv(DateTimeOffset? value) => Csv<DateTimeOffset>(value?.ToUniversalTime());

    public void Csv(long? value) => Csv<long>(value);

    public void Csv(Guid? value) => Csv<Guid>(value);

    public ValueTask EndCsvRow(CancellationToken cancellation)
    {
        _buffer.Write("\r\n"u8);
        _rowStarted = false;
        return EndRow(cancellation);
    }

    /// <summary>After a JSON value written to <see cref="Output"/>: the line end, and a flush every few hundred rows.</summary>
    public ValueTask EndJsonLine(CancellationToken cancellation)
    {
        _buffer.Write("\n"u8);
        return EndRow(cancellation);
    }

    /// <summary>A writer that keeps everything written to it, for <see cref="Append"/>.</summary>
    public static ExportWriter Buffered() => new(null);

    public async Task FlushAsync(CancellationToken cancellation)
    {
        if (output is null)
        {
            return;
        }

        output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        await output.FlushAsync(cancellation);
    }

    /// <summary>Sends what a <see cref="Buffered"/> writer holds, after what this one holds.</summary>
    public async Task Append(ExportWriter buffered, CancellationToken cancellation)
    {
        if (output is null)
        {
            throw new InvalidOperationException("Only a writer to a response takes a buffered chunk.");
        }

        output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        output.Write(buffered._buffer.WrittenSpan);
        await output.FlushAsync(cancellation);
    }

    private ValueTask EndRow(CancellationToken cancellation) =>
        output is null || _buffer.WrittenCount < BytesPerFlush ? ValueTask.CompletedTask : new ValueTask(FlushAsync(cancellation));

    private void Separator()
    {
        if (_rowStarted)
        {
            _buffer.Write(","u8);
        }

        _rowStarted = true;
    }

    private void Quoted(ReadOnlySpan<byte> utf8)
    {
        var span = _buffer.GetSpan((utf8.Length * 2) + 2);
        var at = 0;
        span[at++] = (byte)'"';
        while (utf8.IndexOf((byte)'"') is var quote and >= 0)
        {
            utf8[..(quote + 1)].CopyTo(span[at..]);
            at += quote + 1;
            span[at++] = (byte)'"';
            utf8 = utf8[(quote + 1)..];
        }

        utf8.CopyTo(span[at..]);
        at += utf8.Length;
        span[at++] = (byte)'"';
        _buffer.Advance(at);
    }
}
