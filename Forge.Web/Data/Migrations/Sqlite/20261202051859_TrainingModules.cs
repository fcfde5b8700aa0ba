using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Forge.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrainingModules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ModuleProgress",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<long>(type: "INTEGER", nullable: false),
                    RepositoryId = table.Column<long>(type: "INTEGER", nullable: false),
                    PagesSeen = table.Column<string>(type: "TEXT", nullable: false),
                    QuizScores = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedCommit = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CompletedTitle = table.Column<string>(type: "TEXT", maxLength: 2100, nullable: true),
                    CompletedMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    CertificateCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModuleProgress", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModuleProgress_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ModuleProgress_Repositories_RepositoryId",
                        column: x => x.RepositoryId,
                        principalTable: "Repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ModuleProgress_CertificateCode",
                table: "ModuleProgress",
                column: "CertificateCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModuleProgress_RepositoryId",
                table: "ModuleProgress",
                column: "RepositoryId");

            migrationBuilder.CreateIndex(
                name: "IX_ModuleProgress_UserId_RepositoryId",
                table: "ModuleProgress",
                columns: new[] { "UserId", "RepositoryId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ModuleProgress");
        }
    }
}
