using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Forge.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MergeRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RequiredApprovals",
                table: "ProtectedBranches",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "MergeRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TargetRepositoryId = table.Column<long>(type: "bigint", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Description = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: true),
                    AuthorId = table.Column<long>(type: "bigint", nullable: false),
                    SourceRepositoryId = table.Column<long>(type: "bigint", nullable: true),
                    SourceBranch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    TargetBranch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    State = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HeadSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    BaseSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MergeSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    MergedById = table.Column<long>(type: "bigint", nullable: true),
                    MergedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    MergeStatus = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ConflictFiles = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: true),
                    CheckedHeadSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    CheckedTargetSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergeRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MergeRequests_AspNetUsers_AuthorId",
                        column: x => x.AuthorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MergeRequests_AspNetUsers_MergedById",
                        column: x => x.MergedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MergeRequests_Repositories_SourceRepositoryId",
                        column: x => x.SourceRepositoryId,
                        principalTable: "Repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MergeRequests_Repositories_TargetRepositoryId",
                        column: x => x.TargetRepositoryId,
                        principalTable: "Repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MergeRequestSettings",
                columns: table => new
                {
                    RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                    MergeStyle = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergeRequestSettings", x => x.RepositoryId);
                    table.ForeignKey(
                        name: "FK_MergeRequestSettings_Repositories_RepositoryId",
                        column: x => x.RepositoryId,
                        principalTable: "Repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MergeRequestComments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MergeRequestId = table.Column<long>(type: "bigint", nullable: false),
                    AuthorId = table.Column<long>(type: "bigint", nullable: false),
                    Body = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: false),
                    Path = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Side = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    Line = table.Column<int>(type: "integer", nullable: true),
                    CommitSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    BaseSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    LineText = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ThreadId = table.Column<long>(type: "bigint", nullable: true),
                    Resolved = table.Column<bool>(type: "boolean", nullable: false),
                    Outdated = table.Column<bool>(type: "boolean", nullable: false),
                    ReviewId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergeRequestComments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MergeRequestComments_AspNetUsers_AuthorId",
                        column: x => x.AuthorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MergeRequestComments_MergeRequests_MergeRequestId",
                        column: x => x.MergeRequestId,
                        principalTable: "MergeRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MergeRequestReviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MergeRequestId = table.Column<long>(type: "bigint", nullable: false),
                    ReviewerId = table.Column<long>(type: "bigint", nullable: false),
                    Verdict = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Body = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: true),
                    HeadSha = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergeRequestReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MergeRequestReviews_AspNetUsers_ReviewerId",
                        column: x => x.ReviewerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MergeRequestReviews_MergeRequests_MergeRequestId",
                        column: x => x.MergeRequestId,
                        principalTable: "MergeRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequestComments_AuthorId",
                table: "MergeRequestComments",
                column: "AuthorId");

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequestComments_MergeRequestId",
                table: "MergeRequestComments",
                column: "MergeRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequestReviews_MergeRequestId_ReviewerId",
                table: "MergeRequestReviews",
                columns: new[] { "MergeRequestId", "ReviewerId" });

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequestReviews_ReviewerId",
                table: "MergeRequestReviews",
                column: "ReviewerId");

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequests_AuthorId",
                table: "MergeRequests",
                column: "AuthorId");

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequests_MergedById",
                table: "MergeRequests",
                column: "MergedById");

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequests_SourceRepositoryId_SourceBranch",
                table: "MergeRequests",
                columns: new[] { "SourceRepositoryId", "SourceBranch" });

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequests_TargetRepositoryId_Number",
                table: "MergeRequests",
                columns: new[] { "TargetRepositoryId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MergeRequests_TargetRepositoryId_State",
                table: "MergeRequests",
                columns: new[] { "TargetRepositoryId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MergeRequestComments");

            migrationBuilder.DropTable(
                name: "MergeRequestReviews");

            migrationBuilder.DropTable(
                name: "MergeRequestSettings");

            migrationBuilder.DropTable(
                name: "MergeRequests");

            migrationBuilder.DropColumn(
                name: "RequiredApprovals",
                table: "ProtectedBranches");
        }
    }
}
