import { MigrationInterface, QueryRunner } from "typeorm";

export class Email1795314128950 implements MigrationInterface {
    name = 'Email1795314128950'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "email_sources" ("message_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "raw" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0f2589daf829a4ed356fa78ffcb" PRIMARY KEY ("message_id"))`);
        await queryRunner.query(`CREATE TABLE "imap_states" ("channel_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "mailbox" text NOT NULL, "uid_validity" bigint, "last_uid" bigint NOT NULL DEFAULT '0', "lease_owner" text, "lease_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5a865d93d11954e0bdd568138a2" PRIMARY KEY ("channel_id"))`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "automated" boolean NOT NULL DEFAULT false`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "automated"`);
        await queryRunner.query(`DROP TABLE "imap_states"`);
        await queryRunner.query(`DROP TABLE "email_sources"`);
    }

}
