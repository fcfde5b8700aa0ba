using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Forge.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClassroomTeams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TeamSize",
                table: "Assignments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "TemplateSha",
                table: "Assignments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TeamName",
                table: "AssignmentCopies",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssignmentTeamMembers",
                columns: table => new
                {
                    CopyId = table.Column<long>(type: "INTEGER", nullable: false),
                    StudentId = table.Column<long>(type: "INTEGER", nullable: false),
                    AssignmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentTeamMembers", x => new { x.CopyId, x.StudentId });
                    table.ForeignKey(
                        name: "FK_AssignmentTeamMembers_AspNetUsers_StudentId",
                        column: x => x.StudentId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AssignmentTeamMembers_AssignmentCopies_CopyId",
                        column: x => x.CopyId,
                        principalTable: "AssignmentCopies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentCopies_AssignmentId_TeamName",
                table: "AssignmentCopies",
                columns: new[] { "AssignmentId", "TeamName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentTeamMembers_AssignmentId_StudentId",
                table: "AssignmentTeamMembers",
                columns: new[] { "AssignmentId", "StudentId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentTeamMembers_StudentId",
                table: "AssignmentTeamMembers",
                column: "StudentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssignmentTeamMembers");

            migrationBuilder.DropIndex(
                name: "IX_AssignmentCopies_AssignmentId_TeamName",
                table: "AssignmentCopies");

            migrationBuilder.DropColumn(
                name: "TeamSize",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "TemplateSha",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "TeamName",
                table: "AssignmentCopies");
        }
    }
}
