using System.Reflection;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// Object reads straight from libgit2's object database, for the indexer's bulk reads. LibGit2Sharp reads a blob in
/// full to give its size (<see cref="Blob.Size"/>) and again for its content, and it has no call for an object's header
/// alone: measured on a rebuild of 4,000 seeded repositories, those reads were a tenth of the indexing workers' time.
/// Here a size is the object's header (<c>git_odb_read_header</c>) and a content one read (<c>git_odb_read</c>).
/// It uses the libgit2 library LibGit2Sharp itself loaded, through the repository's own object database handle
/// (a private field, read by reflection): if either cannot be found — another LibGit2Sharp version —
/// <see cref="Available"/> is false and callers use LibGit2Sharp's calls, slower but the same results.
/// </summary>
internal static unsafe class NativeObjectReader
{
    private static readonly FieldInfo? OdbField =
        typeof(ObjectDatabase).GetField("handle", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly MethodInfo? AsIntPtr =
        OdbField?.FieldType.GetMethod("AsIntPtr", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);

    // int git_odb_read_header(size_t *len_out, git_object_t *type_out, git_odb *db, const git_oid *id)
    private static readonly delegate* unmanaged<nuint*, int*, IntPtr, byte*, int> ReadHeader;
    // int git_odb_read(git_odb_object **out, git_odb *db, const git_oid *id)
    private static readonly delegate* unmanaged<IntPtr*, IntPtr, byte*, int> Read;
    private static readonly delegate* unmanaged<IntPtr, nuint> ObjectSize;
    private static readonly delegate* unmanaged<IntPtr, byte*> ObjectData;
    private static readonly delegate* unmanaged<IntPtr, void> ObjectFree;

    /// <summary>True when the native calls were found (checked by a test, so an upgrade that loses them is seen).</summary>
    public static bool Available { get; }

    static NativeObjectReader()
    {
        try
        {
            var libgit2 = typeof(Repository).Assembly;
            if (OdbField is null || AsIntPtr is null || AsIntPtr.ReturnType != typeof(IntPtr)) return;
            if (libgit2.GetType("LibGit2Sharp.Core.NativeDllName")?.GetField("Name", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?.GetValue(null) is not string name) return;
            // LibGit2Sharp has loaded its library by the time a repository is open; this finds the same one.
            if (!NativeLibrary.TryLoad(name, libgit2, null, out var lib)) return;
            if (!NativeLibrary.TryGetExport(lib, "git_odb_read_header", out var readHeader)
                || !NativeLibrary.TryGetExport(lib, "git_odb_read", out var read)
                || !NativeLibrary.TryGetExport(lib, "git_odb_object_size", out var size)
                || !NativeLibrary.TryGetExport(lib, "git_odb_object_data", out var data)
                || !NativeLibrary.TryGetExport(lib, "git_odb_object_free", out var free)) return;
            ReadHeader = (delegate* unmanaged<nuint*, int*, IntPtr, byte*, int>)readHeader;
            Read = (delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)read;
            ObjectSize = (delegate* unmanaged<IntPtr, nuint>)size;
            ObjectData = (delegate* unmanaged<IntPtr, byte*>)data;
            ObjectFree = (delegate* unmanaged<IntPtr, void>)free;
            Available = true;
        }
        catch (Exception e) when (e is TypeLoadException or MemberAccessException or TargetInvocationException or DllNotFoundException or BadImageFormatException)
        {
            Available = false;
        }
    }

    private static IntPtr Odb(Repository repo) =>
        OdbField!.GetValue(repo.ObjectDatabase) is { } handle ? (IntPtr)AsIntPtr!.Invoke(handle, null)! : IntPtr.Zero;

    /// <summary>The size of an object from its header, or null when it cannot be read.</summary>
    public static long? Size(Repository repo, ObjectId id)
    {
        var odb = Odb(repo);
        if (odb == IntPtr.Zero) return null;
        nuint length;
        int type;
        fixed (byte* p = id.RawId)
        {
            if (ReadHeader(&length, &type, odb, p) != 0) return null;
        }
        GC.KeepAlive(repo);
        return (long)length;
    }

    /// <summary>
    /// One read of an object: its size and at most <paramref name="maxBytes"/> of its content, or null when it cannot be
    /// read. The content is copied out of libgit2's buffer, which is freed at once.
    /// </summary>
    public static (long Size, byte[] Bytes)? Content(Repository repo, ObjectId id, long maxBytes)
    {
        var odb = Odb(repo);
        if (odb == IntPtr.Zero) return null;
        IntPtr obj;
        fixed (byte* p = id.RawId)
        {
            if (Read(&obj, odb, p) != 0) return null;
        }
        try
        {
            var size = (long)ObjectSize(obj);
            var bytes = new ReadOnlySpan<byte>(ObjectData(obj), (int)Math.Min(size, Math.Max(0, Math.Min(maxBytes, int.MaxValue)))).ToArray();
            return (size, bytes);
        }
        finally
        {
            ObjectFree(obj);
            GC.KeepAlive(repo);
        }
    }
}
