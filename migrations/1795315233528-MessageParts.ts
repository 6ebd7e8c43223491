import { MigrationInterface, QueryRunner } from "typeorm";

export class MessageParts1795315233528 implements MigrationInterface {
    name = 'MessageParts1795315233528'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "message_parts" ("message_id" uuid NOT NULL, "part_index" smallint NOT NULL, "tenant_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "external_id" text NOT NULL, "status" text NOT NULL DEFAULT 'sent', "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d5e2eca16057249359429c2c4ca" PRIMARY KEY ("message_id", "part_index"))`);
        await queryRunner.query(`CREATE INDEX "idx_message_parts_external" ON "message_parts" ("channel_id", "external_id") `);
        await queryRunner.query(`ALTER TABLE "message_parts" ADD CONSTRAINT "fk_message_parts_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "message_parts" DROP CONSTRAINT "fk_message_parts_message"`);
        await queryRunner.query(`DROP INDEX "public"."idx_message_parts_external"`);
        await queryRunner.query(`DROP TABLE "message_parts"`);
    }

}
