import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatVisitorCases1795315110719 implements MigrationInterface {
    name = 'ChatVisitorCases1795315110719'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "idx_cases_channel_address" ON "cases" ("channel_id", "contact_address") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_cases_channel_address"`);
    }

}
