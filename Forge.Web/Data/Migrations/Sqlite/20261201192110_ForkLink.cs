using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Forge.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ForkLink : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ForkOfId",
                table: "Repositories",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Repositories_ForkOfId",
                table: "Repositories",
                column: "ForkOfId");

            migrationBuilder.AddForeignKey(
                name: "FK_Repositories_Repositories_ForkOfId",
                table: "Repositories",
                column: "ForkOfId",
                principalTable: "Repositories",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Repositories_Repositories_ForkOfId",
                table: "Repositories");

            migrationBuilder.DropIndex(
                name: "IX_Repositories_ForkOfId",
                table: "Repositories");

            migrationBuilder.DropColumn(
                name: "ForkOfId",
                table: "Repositories");
        }
    }
}
