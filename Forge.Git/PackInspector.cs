using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Forge.Git;

/// <summary>
/// Reads a push's request body as it streams to <c>git receive-pack</c> (the command pkt-lines, any push options, then
/// the pack) and measures the pack without keeping it: the size of every object it carries (a delta's is the size of
/// the object it rebuilds, read from the delta's own header), and a generous bound on the room the received objects
/// can take on disk, loose or kept as a pack. Its checksum is verified, so what was measured is exactly what git
/// receives. Anything unexpected (a malformed or truncated pack, a SHA-256 repository's pack, more than the budget of
/// bytes to inflate, no zlib here) leaves it <see cref="Failed"/>: the pre-receive hook then measures the push itself,
/// as it always did. It never judges a push on its own: it only spares the hook its measuring when the answer is
/// certain.
/// </summary>
public sealed unsafe class PackInspector : IDisposable
{
    private enum State { Preamble, Header, ObjectHeader, DeltaOffset, DeltaBaseId, Inflate, Trailer, Done, Failed }

    private const int Z_OK = 0, Z_STREAM_END = 1, Z_BUF_ERROR = -5, Z_NO_FLUSH = 0;
    private const int ScratchSize = 64 * 1024;
    private const int HashLength = 20;
    private const int MaxPreambleBytes = 4 * 1024 * 1024;

    private readonly long _maxInflatedBytes;
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private ZStream* _z;
    private byte* _scratch;
    private bool _zInitialised;

    private State _state = State.Preamble;
    // Small buffer for the fixed-size pieces that may arrive split across reads (pkt-line header, pack header, ids, trailer).
    private readonly byte[] _pending = new byte[HashLength];
    private int _pendingCount;
    private int _skip;            // bytes of a pkt-line payload still to skip in the preamble
    private long _preambleBytes;
    private uint _objectsLeft;
    private int _type;
    private ulong _headerSize;    // the size in the object header: the object's, or the delta's
    private int _headerShift;
    private int _varintBytes;
    private readonly byte[] _deltaHead = new byte[24];    // a delta's first bytes: its two sizes
    private int _deltaHeadCount;
    private long _inflated;

    public PackInspector(long maxInflatedBytes) => _maxInflatedBytes = maxInflatedBytes;

    /// <summary>Every object of the pack was read and its checksum matched.</summary>
    public bool Complete => _state == State.Done;

    /// <summary>The pack could not be measured here (see the class summary); nothing may be concluded from it.</summary>
    public bool Failed => _state == State.Failed;

    /// <summary>Bytes of the pack itself (from <c>PACK</c> to its checksum, included).</summary>
    public long PackBytes { get; private set; }

    /// <summary>Objects in the pack.</summary>
    public long ObjectCount { get; private set; }

    /// <summary>The largest object the pack carries or rebuilds (any type: a delta's base type is not always known).</summary>
    public ulong LargestObject { get; private set; }

    /// <summary>
    /// An upper bound of the bytes the received objects take in the repository: as loose objects (each compressed
    /// again, at worst a little larger than its content) or as the kept pack, its index, and the bases git appends to
    /// complete a thin pack (each at most its own size: a delta's header gives its base's size).
    /// </summary>
    public ulong DiskBound { get; private set; } = 4096;

    /// <summary>Reads the next bytes of the body, in order.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        try
        {
            while (!data.IsEmpty && _state is not (State.Done or State.Failed))
                data = Step(data);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or OverflowException or BadImageFormatException)
        {
            _state = State.Failed;
        }
        if (_state == State.Failed) ReleaseZlib();
    }

    private ReadOnlySpan<byte> Step(ReadOnlySpan<byte> data)
    {
        switch (_state)
        {
            case State.Preamble:
                return Preamble(data);
            case State.Header:
            {
                var rest = Collect(data, 12, hash: true);
                if (_pendingCount < 12) return rest;
                var header = _pending.AsSpan(0, 12);
                var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
                if (!header[..4].SequenceEqual("PACK"u8) || version is not (2 or 3)) return Fail();
                _objectsLeft = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
                ObjectCount = _objectsLeft;
                _pendingCount = 0;
                _state = _objectsLeft == 0 ? State.Trailer : State.ObjectHeader;
                _varintBytes = 0;
                return rest;
            }
            case State.ObjectHeader:
            {
                var i = 0;
                while (i < data.Length)
                {
                    var b = data[i++];
                    if (_varintBytes == 0)
                    {
                        _type = (b >> 4) & 7;
                        _headerSize = (ulong)(b & 15);
                        _headerShift = 4;
                    }
                    else
                    {
                        if (_headerShift > 57) return Fail();
                        _headerSize |= (ulong)(b & 0x7f) << _headerShift;
                        _headerShift += 7;
                    }
                    _varintBytes++;
                    if ((b & 0x80) != 0) continue;
                    if (_type is 0 or 5) return Fail();
                    _varintBytes = 0;
                    _pendingCount = 0;
                    _state = _type switch { 6 => State.DeltaOffset, 7 => State.DeltaBaseId, _ => State.Inflate };
                    if (_state == State.Inflate) StartObject();
                    break;
                }
                Hash(data[..i]);
                return data[i..];
            }
            case State.DeltaOffset:
            {
                var i = 0;
                while (i < data.Length)
                {
                    var b = data[i++];
                    if (++_varintBytes > 10) return Fail();
                    if ((b & 0x80) != 0) continue;
                    _varintBytes = 0;
                    _state = State.Inflate;
                    StartObject();
                    break;
                }
                Hash(data[..i]);
                return data[i..];
            }
            case State.DeltaBaseId:
            {
                var rest = Collect(data, HashLength, hash: true);
                if (_pendingCount < HashLength) return rest;
                _pendingCount = 0;
                _state = State.Inflate;
                StartObject();
                return rest;
            }
            case State.Inflate:
                return Inflate(data);
            case State.Trailer:
            {
                var rest = Collect(data, HashLength, hash: false);
                if (_pendingCount < HashLength) return rest;
                PackBytes += HashLength;
                Span<byte> sum = stackalloc byte[HashLength];
                if (!_sha1.TryGetHashAndReset(sum, out var written) || written != HashLength
                    || !sum.SequenceEqual(_pending.AsSpan(0, HashLength)))
                    return Fail();
                DiskBound = Add(DiskBound, (ulong)PackBytes + 64UL * (ulong)ObjectCount);
                _state = State.Done;
                ReleaseZlib();
                return rest;
            }
            default:
                return default;
        }
    }

    /// <summary>Skips the pkt-lines before the pack (commands, flush, push options, flush).</summary>
    private ReadOnlySpan<byte> Preamble(ReadOnlySpan<byte> data)
    {
        if (_skip > 0)
        {
            var n = Math.Min(_skip, data.Length);
            _skip -= n;
            return data[n..];
        }
        var take = Math.Min(4 - _pendingCount, data.Length);
        data[..take].CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += take;
        _preambleBytes += take;
        if (_preambleBytes > MaxPreambleBytes) return Fail();
        data = data[take..];
        if (_pendingCount < 4) return data;
        var head = _pending.AsSpan(0, 4);
        if (head.SequenceEqual("PACK"u8))
        {
            // The pack begins: these four bytes are the start of its header.
            _sha1.AppendData(head);
            PackBytes = 4;
            _state = State.Header;
            return data;
        }
        var length = 0;
        foreach (var c in head)
        {
            var digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                _ => -1,
            };
            if (digit < 0) return Fail();
            length = length * 16 + digit;
        }
        if (length is > 0 and < 4) return Fail();
        _pendingCount = 0;
        _skip = length == 0 ? 0 : length - 4;
        _preambleBytes += _skip;
        return data;
    }

    /// <summary>Gathers <see cref="_pending"/> up to <paramref name="count"/> bytes (the pack header already holds <c>PACK</c>).</summary>
    private ReadOnlySpan<byte> Collect(ReadOnlySpan<byte> data, int count, bool hash)
    {
        var take = Math.Min(count - _pendingCount, data.Length);
        data[..take].CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += take;
        if (hash) Hash(data[..take]);
        return data[take..];
    }

    private void Hash(ReadOnlySpan<byte> bytes)
    {
        _sha1.AppendData(bytes);
        PackBytes += bytes.Length;
    }

    private void StartObject()
    {
        _deltaHeadCount = 0;
        if (!_zInitialised)
        {
            _z = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
            _scratch = (byte*)NativeMemory.Alloc(ScratchSize);
            _zInitialised = true;
            if (Zlib.inflateInit_(_z, "1.2.11", sizeof(ZStream)) != Z_OK) { Fail(); return; }
        }
        else if (Zlib.inflateReset(_z) != Z_OK) Fail();
    }

    private ReadOnlySpan<byte> Inflate(ReadOnlySpan<byte> data)
    {
        fixed (byte* input = data)
        {
            _z->next_in = input;
            _z->avail_in = (uint)data.Length;
            var ended = false;
            while (true)
            {
                _z->next_out = _scratch;
                _z->avail_out = ScratchSize;
                var code = Zlib.inflate(_z, Z_NO_FLUSH);
                var produced = ScratchSize - (int)_z->avail_out;
                if (_type is 6 or 7 && _deltaHeadCount < _deltaHead.Length && produced > 0)
                {
                    var n = Math.Min(produced, _deltaHead.Length - _deltaHeadCount);
                    new ReadOnlySpan<byte>(_scratch, n).CopyTo(_deltaHead.AsSpan(_deltaHeadCount));
                    _deltaHeadCount += n;
                }
                _inflated += produced;
                if (_inflated > _maxInflatedBytes) return Fail();
                if (code == Z_STREAM_END) { ended = true; break; }
                if (code == Z_BUF_ERROR && _z->avail_in == 0) break;   // needs the next bytes of the body
                if (code != Z_OK) return Fail();
                if (_z->avail_in == 0 && _z->avail_out != 0) break;    // took all the input, gave all its output
            }
            var consumed = data.Length - (int)_z->avail_in;
            _z->next_in = null;
            _z->avail_in = 0;
            Hash(data[..consumed]);
            if (!ended) return data[consumed..];
            if ((ulong)_z->total_out != _headerSize || !FinishObject()) return Fail();
            return data[consumed..];
        }
    }

    private bool FinishObject()
    {
        ulong size;
        if (_type is 6 or 7)
        {
            // A delta starts with two sizes (7 bits a byte, least significant first): its base's, then its result's.
            var head = _deltaHead.AsSpan(0, _deltaHeadCount);
            if (!ReadDeltaSize(ref head, out var baseSize) || !ReadDeltaSize(ref head, out size)) return false;
            // A thin pack's base (named by id) may be appended to the kept pack: count it too.
            if (_type == 7) DiskBound = Add(DiskBound, Generous(baseSize));
        }
        else
        {
            size = _headerSize;
        }
        if (size > LargestObject) LargestObject = size;
        DiskBound = Add(DiskBound, Generous(size));
        _state = --_objectsLeft == 0 ? State.Trailer : State.ObjectHeader;
        _pendingCount = 0;
        return true;
    }

    /// <summary>What an object of <paramref name="size"/> bytes can take once compressed again: zlib's worst case is far under 1 ‰ plus a header.</summary>
    private static ulong Generous(ulong size) => Add(size, size / 1000 + 64);

    private static ulong Add(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    private static bool ReadDeltaSize(ref Span<byte> head, out ulong size)
    {
        size = 0;
        for (int i = 0, shift = 0; i < head.Length && shift <= 63; i++, shift += 7)
        {
            size |= (ulong)(head[i] & 0x7f) << shift;
            if ((head[i] & 0x80) == 0)
            {
                head = head[(i + 1)..];
                return true;
            }
        }
        return false;
    }

    private ReadOnlySpan<byte> Fail()
    {
        _state = State.Failed;
        return default;
    }

    private void ReleaseZlib()
    {
        if (!_zInitialised) return;
        _zInitialised = false;
        try { Zlib.inflateEnd(_z); } catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        NativeMemory.Free(_z);
        NativeMemory.Free(_scratch);
        _z = null;
        _scratch = null;
    }

    public void Dispose()
    {
        ReleaseZlib();
        _sha1.Dispose();
    }

    /// <summary>zlib's <c>z_stream</c> on 64-bit Linux (<c>uLong</c> is 64 bits there).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* next_in;
        public uint avail_in;
        public nuint total_in;
        public byte* next_out;
        public uint avail_out;
        public nuint total_out;
        public IntPtr msg;
        public IntPtr state;
        public IntPtr zalloc;
        public IntPtr zfree;
        public IntPtr opaque;
        public int data_type;
        public nuint adler;
        public nuint reserved;
    }

    /// <summary>The system's zlib, which git itself uses (so it is there wherever git is).</summary>
    private static class Zlib
    {
        private const string Library = "libz.so.1";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int inflateInit_(ZStream* strm, [MarshalAs(UnmanagedType.LPStr)] string version, int streamSize);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int inflate(ZStream* strm, int flush);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int inflateReset(ZStream* strm);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int inflateEnd(ZStream* strm);
    }
}
