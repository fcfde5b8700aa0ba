using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Forge.Web.Data;

/// <summary>
/// The application's database. One model, two providers: each has its own subclass so each keeps its own
/// migrations (<c>Data/Migrations/Sqlite</c>, <c>Data/Migrations/Postgres</c>).
/// </summary>
public abstract class ForgeDbContext(DbContextOptions options) : IdentityDbContext<ForgeUser, IdentityRole<long>, long>(options)
{
    public DbSet<RepositoryEntity> Repositories => Set<RepositoryEntity>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<Collaborator> Collaborators => Set<Collaborator>();
    public DbSet<ProtectedBranch> ProtectedBranches => Set<ProtectedBranch>();
    public DbSet<RepositoryRedirect> RepositoryRedirects => Set<RepositoryRedirect>();
    public DbSet<Star> Stars => Set<Star>();
    public DbSet<ResourceReview> ResourceReviews => Set<ResourceReview>();
    public DbSet<LicenceCheck> LicenceChecks => Set<LicenceCheck>();
    public DbSet<PrivacyScan> PrivacyScans => Set<PrivacyScan>();
    public DbSet<PrivacyFindingEntity> PrivacyFindings => Set<PrivacyFindingEntity>();
    public DbSet<PrivacyDismissal> PrivacyDismissals => Set<PrivacyDismissal>();
    public DbSet<PrivacyHold> PrivacyHolds => Set<PrivacyHold>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<GroupInvitation> GroupInvitations => Set<GroupInvitation>();
    public DbSet<OwnerRedirect> OwnerRedirects => Set<OwnerRedirect>();
    public DbSet<MergeRequest> MergeRequests => Set<MergeRequest>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<SchoolClass> Classrooms => Set<SchoolClass>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<AssignmentCopy> AssignmentCopies => Set<AssignmentCopy>();

    /// <summary>Bumped whenever this process changes a repository's row, so in-memory lookups keyed by it are dropped at once.</summary>
    public static long RepositoryVersion => Interlocked.Read(ref _repositoryVersion);
    private static long _repositoryVersion;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var touched = TouchesRepositories();
        var result = base.SaveChanges(acceptAllChangesOnSuccess);
        if (touched) Interlocked.Increment(ref _repositoryVersion);
        return result;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        var touched = TouchesRepositories();
        var result = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        if (touched) Interlocked.Increment(ref _repositoryVersion);
        return result;
    }

    private bool TouchesRepositories() =>
        ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is RepositoryEntity or Collaborator or RepositoryRedirect or ForgeUser);

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        ConfigureReviews(b);
        b.Entity<ForgeUser>(u =>
        {
            u.Property(x => x.FullName).HasMaxLength(200);
        });
        b.Entity<RepositoryEntity>(r =>
        {
            r.ToTable("Repositories");
            r.Property(x => x.Name).HasMaxLength(100);
            r.Property(x => x.LowerName).HasMaxLength(100);
            r.Property(x => x.Description).HasMaxLength(2000);
            r.Property(x => x.DefaultBranch).HasMaxLength(255);
            r.HasIndex(x => new { x.OwnerId, x.LowerName }).IsUnique();
            r.HasIndex(x => x.UpdatedAt);
            r.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne(x => x.ForkOf).WithMany().HasForeignKey(x => x.ForkOfId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<AccessToken>(t =>
        {
            t.ToTable("AccessTokens");
            t.Property(x => x.Name).HasMaxLength(100);
            t.Property(x => x.Hash).HasMaxLength(64);
            t.Property(x => x.LastEight).HasMaxLength(8);
            t.Property(x => x.Scopes).HasMaxLength(200);
            t.HasIndex(x => x.Hash).IsUnique();
            t.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Collaborator>(c =>
        {
            c.ToTable("Collaborators");
            c.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
            c.HasIndex(x => new { x.RepositoryId, x.UserId }).IsUnique();
            c.HasIndex(x => x.UserId);
            c.HasOne(x => x.Repository).WithMany(r => r.Collaborators).HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ProtectedBranch>(p =>
        {
            p.ToTable("ProtectedBranches");
            p.Property(x => x.Pattern).HasMaxLength(255);
            p.Property(x => x.PushLevel).HasConversion<string>().HasMaxLength(20);
            p.HasIndex(x => new { x.RepositoryId, x.Pattern }).IsUnique();
            p.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Star>(s =>
        {
            s.ToTable("Stars");
            s.HasKey(x => new { x.UserId, x.RepositoryId });
            s.HasIndex(x => x.RepositoryId);
            s.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<RepositoryRedirect>(r =>
        {
            r.ToTable("RepositoryRedirects");
            r.Property(x => x.LowerName).HasMaxLength(100);
            r.HasIndex(x => new { x.OwnerId, x.LowerName }).IsUnique();
            r.HasIndex(x => x.RepositoryId);
            r.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        ComplianceModel.Configure(b);
        GroupModel.Configure(b);
        MergeRequestModel.Configure(b);
        AccountModel.Configure(b);
        Forge.Web.OpenId.OpenIdServer.ConfigureModel(b);
        IssueModel.Configure(b);
        CheckModel.Configure(b);
        ActivityEventModel.Configure(b);
        ClassroomModel.Configure(b);
        ModuleModel.Configure(b);
    }

    private static void ConfigureReviews(ModelBuilder b) =>
        b.Entity<ResourceReview>(r =>
        {
            r.ToTable("ResourceReviews");
            r.Property(x => x.Opinion).HasMaxLength(ResourceReview.MaxOpinion);
            r.Property(x => x.UsedFor).HasMaxLength(ResourceReview.MaxUsedFor);
            r.Property(x => x.Answer).HasMaxLength(ResourceReview.MaxAnswer);
            r.HasIndex(x => new { x.RepositoryId, x.AuthorId }).IsUnique();
            r.HasIndex(x => x.AuthorId);
            r.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne(x => x.AnsweredBy).WithMany().HasForeignKey(x => x.AnsweredById).OnDelete(DeleteBehavior.SetNull);
        });
}

public sealed class SqliteForgeDbContext(DbContextOptions<SqliteForgeDbContext> options) : ForgeDbContext(options);

public sealed class PostgresForgeDbContext(DbContextOptions<PostgresForgeDbContext> options) : ForgeDbContext(options);

/// <summary>Used by <c>dotnet ef migrations add ... --context SqliteForgeDbContext</c>.</summary>
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteForgeDbContext>
{
    public SqliteForgeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteForgeDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Used by <c>dotnet ef migrations add ... --context PostgresForgeDbContext</c>.</summary>
public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresForgeDbContext>
{
    public PostgresForgeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresForgeDbContext>().UseNpgsql("Host=localhost;Database=forge").Options);
}
